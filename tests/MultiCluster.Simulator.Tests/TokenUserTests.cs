using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Simulator.Auth;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Tests;

/// <summary>A cluster with users from its options, as --token-auth-file lists them.</summary>
public sealed class TokenUserFixture : KubectlFixture
{
    public const string OliveToken = "olive-token-0123456789";

    protected override SimulatorOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.Clusters[0].Users.Add(new TokenUser(OliveToken, "olive", "uid-olive", ["ops", "oncall"]));
        return options;
    }
}

/// <summary>Users behind bearer tokens: from the options, added and removed at run time, and the token file format.</summary>
public sealed class TokenUserTests(TokenUserFixture fixture) : IClassFixture<TokenUserFixture>
{
    private SimulatedCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_user_from_the_options_is_who_its_token_says_to_KubernetesClient_and_kubectl()
    {
        using var client = Access.ClientFor(Cluster, TokenUserFixture.OliveToken);

        var info = (await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview())).Status.UserInfo;
        var whoami = await fixture.Kubectl.OkAsync($"auth whoami --token {TokenUserFixture.OliveToken}");
        var table = whoami.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Kubectl.Columns).ToList();

        Assert.Equal(("olive", "uid-olive"), (info.Username, info.Uid));
        Assert.Equal(["ops", "oncall", "system:authenticated"], info.Groups);
        Assert.Equal([["ATTRIBUTE", "VALUE"], ["Username", "olive"], ["UID", "uid-olive"], ["Groups", "[ops oncall system:authenticated]"]], table);
    }

    [Fact]
    public async Task A_user_added_at_run_time_gets_a_token_and_loses_it_when_removed()
    {
        var token = Cluster.AddUser("pia", ["team-a"]);
        using var pia = Access.ClientFor(Cluster, token);
        var before = (await pia.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview())).Status.UserInfo;

        var removed = Cluster.RemoveUser(token);
        var after = await Assert.ThrowsAsync<HttpOperationException>(() => pia.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview()));

        Assert.Equal("pia", before.Username);
        Assert.Equal(["team-a", "system:authenticated"], before.Groups);
        Assert.True(removed);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Response.StatusCode);
    }

    [Fact]
    public void The_token_file_is_read_as_kube_apiserver_reads_it()
    {
        var users = TokenFile.Parse("t1,alice,uid-1,\"team-a,devs\"\n\nt2, bob ,uid-2\r\nt3,carol,,\"system:masters\"\n");
        var tooShort = Assert.Throws<FormatException>(() => TokenFile.Parse("t4,dave\n", "users.csv"));

        Assert.Equal(["alice", "bob ", "carol"], users.Select(u => u.Name));
        Assert.Equal(["team-a", "devs"], users[0].Groups);
        Assert.Empty(users[1].Groups!);
        Assert.Equal(("t3", ""), (users[2].Token, users[2].Uid));
        Assert.Equal(["system:masters"], users[2].Groups);
        Assert.Equal("token file 'users.csv' must have at least 3 columns (token, user name, user uid), found 2 on line 1", tooShort.Message);
    }
}
