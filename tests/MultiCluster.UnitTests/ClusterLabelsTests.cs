using MultiCluster.Core;

namespace MultiCluster.UnitTests;

public sealed class ClusterLabelsTests
{
    [Fact]
    public void Pairs_separated_by_commas_and_new_lines_are_parsed_and_trimmed()
    {
        var (labels, error) = ClusterLabels.Parse(" env=prod, region = eu-west\nteam=payments\n");

        Assert.Null(error);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["region"] = "eu-west", ["team"] = "payments" }, labels);
    }

    [Fact]
    public void Empty_text_means_no_labels()
    {
        var (labels, error) = ClusterLabels.Parse("  ");

        Assert.Null(error);
        Assert.Empty(labels);
    }

    [Theory]
    [InlineData("env", "'env' is not a label: write it as key=value.")]
    [InlineData("=prod", "A label key is required.")]
    [InlineData("env=prod,env=dev", "The label 'env' is given twice.")]
    [InlineData("-env=prod", "The label key '-env' must be")]
    [InlineData("Example.COM/env=prod", "The label key prefix 'Example.COM' must be a DNS subdomain")]
    [InlineData("env=pr od", "The value of label 'env' must be")]
    public void Malformed_labels_are_refused_in_plain_words(string text, string expected)
    {
        var (_, error) = ClusterLabels.Parse(text);

        Assert.NotNull(error);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefixed_keys_and_empty_values_are_valid_as_in_kubernetes()
    {
        var (labels, error) = ClusterLabels.Parse("topology.kubernetes.io/region=eu-west-1,canary=");

        Assert.Null(error);
        Assert.Equal("eu-west-1", labels["topology.kubernetes.io/region"]);
        Assert.Equal("", labels["canary"]);
    }

    [Fact]
    public void Formatting_is_sorted_and_parses_back_to_the_same_labels()
    {
        var labels = new Dictionary<string, string> { ["team"] = "payments", ["env"] = "prod" };

        var text = ClusterLabels.Format(labels);

        Assert.Equal("env=prod,team=payments", text);
        Assert.Equal(labels, ClusterLabels.Parse(text).Labels);
    }
}
