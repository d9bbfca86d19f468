using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data.Entities;
using Npgsql;

namespace MultiCluster.Data.Tests;

public sealed class PersonalAccessTokenTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_token_works_until_it_expires_or_is_revoked_and_only_its_hash_is_stored()
    {
        await using var database = await EmptyDatabase.CreateAsync(DatabaseProvider.Postgres);
        var clock = new ManualTimeProvider(Start);
        using var host = database.Host(clock);
        await host.MigrateAsync();
        var tokens = host.Services.GetRequiredService<PersonalAccessTokens>();
        var user = await AddUserAsync(host, "alice");

        var ci = await tokens.CreateAsync(user, "ci", TimeSpan.FromDays(1), "alice");
        var deploy = await tokens.CreateAsync(user, "deploy", TimeSpan.FromDays(30), "alice");

        Assert.StartsWith("mcp_", ci.Secret, StringComparison.Ordinal);
        Assert.Equal(ci.Token.Id, (await tokens.FindActiveAsync(ci.Secret))?.Id);
        Assert.Null(await tokens.FindActiveAsync(ci.Secret + "x"));
        Assert.DoesNotContain(ci.Secret, await DumpAsync(database.ConnectionString), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await tokens.FindActiveAsync(ci.Secret));
        Assert.NotNull(await tokens.FindActiveAsync(deploy.Secret));

        Assert.True(await tokens.RevokeAsync(user.Id, deploy.Token.Id, "alice"));
        Assert.Null(await tokens.FindActiveAsync(deploy.Secret));
        Assert.False(await tokens.RevokeAsync(user.Id, deploy.Token.Id, "alice"));
    }

    [Fact]
    public async Task A_user_cannot_revoke_someone_else_s_token()
    {
        await using var database = await EmptyDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = database.Host();
        await host.MigrateAsync();
        var tokens = host.Services.GetRequiredService<PersonalAccessTokens>();
        var alice = await AddUserAsync(host, "alice");
        var mallory = await AddUserAsync(host, "mallory");
        var token = await tokens.CreateAsync(alice, "ci", TimeSpan.FromHours(1), "alice");

        Assert.False(await tokens.RevokeAsync(mallory.Id, token.Token.Id, "mallory"));
        Assert.NotNull(await tokens.FindActiveAsync(token.Secret));
    }

    private static async Task<DashboardUser> AddUserAsync(RegistryHost host, string name)
    {
        await using var db = host.CreateContext();
        var user = new DashboardUser { UserName = name, NormalizedUserName = name.ToUpperInvariant(), SecurityStamp = Guid.NewGuid().ToString() };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    private static async Task<string> DumpAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(row_to_json(t)::text, E'\\n') FROM personal_access_tokens t", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
