using MultiCluster.Core;

namespace MultiCluster.UnitTests;

public sealed class ClusterNameTests
{
    [Theory]
    [InlineData("prod")]
    [InlineData("prod-eu-1")]
    [InlineData("a")]
    [InlineData("0cluster9")]
    public void Kubernetes_style_names_are_accepted(string name) => Assert.Null(ClusterName.Validate(name));

    [Theory]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("Prod", "not a valid cluster name")]
    [InlineData("-prod", "not a valid cluster name")]
    [InlineData("prod-", "not a valid cluster name")]
    [InlineData("prod_eu", "not a valid cluster name")]
    [InlineData("prod.eu", "not a valid cluster name")]
    public void Invalid_names_say_what_is_wrong(string name, string expected)
    {
        var error = ClusterName.Validate(name);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_longer_than_a_dns_label_are_refused_with_the_length()
    {
        var name = new string('a', 64);

        var error = ClusterName.Validate(name);

        Assert.Equal($"A cluster name is at most 63 characters; '{name}' has 64.", error);
        Assert.True(ClusterName.IsValid(new string('a', 63)));
    }

    [Theory]
    [InlineData("prod", "prod")]
    [InlineData("kind-kind", "kind-kind")]
    [InlineData("arn:aws:eks:us-east-1:123456789012:cluster/Payments", "arn-aws-eks-us-east-1-123456789012-cluster-payments")]
    [InlineData("gke_my-project_europe-west1_prod", "gke-my-project-europe-west1-prod")]
    [InlineData("admin@prod.example.com", "admin-prod-example-com")]
    [InlineData("***", "cluster")]
    public void Context_names_become_valid_cluster_names(string context, string expected)
    {
        var suggested = ClusterName.Suggest(context);

        Assert.Equal(expected, suggested);
        Assert.True(ClusterName.IsValid(suggested));
    }

    [Fact]
    public void Long_context_names_keep_their_distinctive_end()
    {
        var suggested = ClusterName.Suggest("arn:aws:eks:eu-central-1:123456789012:cluster/platform-team-production-blue");

        Assert.True(ClusterName.IsValid(suggested));
        Assert.EndsWith("cluster-platform-team-production-blue", suggested, StringComparison.Ordinal);
    }
}
