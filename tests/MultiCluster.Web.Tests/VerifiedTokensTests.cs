using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using MultiCluster.Tests;
using MultiCluster.Web.Health;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Tests;

/// <summary>
/// What a token confirmed before an outage may still do during it, and for how long: so a token revoked or a user
/// disabled just before an outage stops reading at most <see cref="RegistryOutage.CredentialGrace"/> after its last confirmation.
/// </summary>
public sealed class VerifiedTokensTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 14, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Start);
    private readonly ClaimsPrincipal _pat = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "pat"), new Claim(ClaimTypes.Role, "Operator")], "test"));

    [Fact]
    public void A_confirmed_token_is_trusted_for_five_minutes_after_its_last_confirmation_and_no_longer()
    {
        var tokens = new VerifiedTokens(_time);
        tokens.Remember("hash", _pat, expiresAt: Start.AddDays(1));

        _time.Advance(RegistryOutage.CredentialGrace - TimeSpan.FromSeconds(1));
        Assert.Equal(["pat", "Operator"], tokens.Recall("hash")!.Where(c => c.Type != VerifiedTokens.ConfirmedAtClaim).Select(c => c.Value));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(tokens.Recall("hash"));
        Assert.Equal(TimeSpan.FromMinutes(5), RegistryOutage.CredentialGrace);
    }

    [Fact]
    public void A_token_refused_by_the_registry_or_expired_is_not_trusted_at_all()
    {
        var tokens = new VerifiedTokens(_time);
        tokens.Remember("revoked", _pat, expiresAt: Start.AddDays(1));
        tokens.Remember("expiring", _pat, expiresAt: Start.AddMinutes(1));
        Assert.Null(tokens.Recall("never-seen"));

        tokens.Forget("revoked");
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(tokens.Recall("revoked"));
        Assert.Null(tokens.Recall("expiring"));
    }

    [Fact]
    public void A_recalled_token_says_when_the_registry_confirmed_it()
    {
        var tokens = new VerifiedTokens(_time);
        tokens.Remember("hash", _pat, expiresAt: Start.AddDays(1));
        _time.Advance(TimeSpan.FromMinutes(2));

        var principal = new ClaimsPrincipal(new ClaimsIdentity(tokens.Recall("hash"), "test"));

        Assert.Equal(Start, VerifiedTokens.ConfirmedAt(principal));
        Assert.Null(VerifiedTokens.ConfirmedAt(_pat));
    }

    [Theory]
    [InlineData("GET", "/api/v1/problems", true)]
    [InlineData("HEAD", "/api/v1/problems", true)]
    [InlineData("POST", "/hubs/fleet/negotiate", true)]
    [InlineData("POST", "/api/v1/clusters", false)]
    [InlineData("PUT", "/api/v1/problems/x/acknowledgement", false)]
    [InlineData("PATCH", "/api/v1/clusters/x", false)]
    [InlineData("DELETE", "/api/v1/clusters/x", false)]
    public void Only_reads_are_served_on_the_strength_of_an_earlier_confirmation(string method, string path, bool served)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = method;
        request.Path = path;
        Assert.Equal(served, VerifiedTokens.MayServe(request));
    }
}
