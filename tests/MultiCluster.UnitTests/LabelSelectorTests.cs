using MultiCluster.Core;

namespace MultiCluster.UnitTests;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> ProdEu = new() { ["env"] = "prod", ["region"] = "eu-west", ["team"] = "payments" };
    private static readonly Dictionary<string, string> Dev = new() { ["env"] = "dev", ["region"] = "us-east", ["canary"] = "" };

    [Theory]
    [InlineData("", true, true)]
    [InlineData("env=prod", true, false)]
    [InlineData("env==prod", true, false)]
    [InlineData("env!=prod", false, true)]
    [InlineData("team", true, false)]
    [InlineData("!canary", true, false)]
    [InlineData("region in (eu-west, eu-central)", true, false)]
    [InlineData("region notin (eu-west)", false, true)]
    [InlineData("env=prod,region in (eu-west,us-east)", true, false)]
    [InlineData("env in (prod, dev), !team", false, true)]
    [InlineData("missing!=x", true, true)]
    public void Requirements_are_anded_like_kubectl(string selector, bool matchesProdEu, bool matchesDev)
    {
        var (parsed, error) = LabelSelector.Parse(selector);

        Assert.Null(error);
        Assert.Equal(matchesProdEu, parsed.Matches(ProdEu));
        Assert.Equal(matchesDev, parsed.Matches(Dev));
    }

    [Theory]
    [InlineData("env=prod,,team", "empty requirement")]
    [InlineData("region in eu-west", "write the values in parentheses")]
    [InlineData("-bad=x", "is not a label requirement")]
    [InlineData("env=not valid", "The value of label 'env' must be")]
    public void Malformed_selectors_say_what_is_wrong(string selector, string expected)
    {
        var (_, error) = LabelSelector.Parse(selector);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
