using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Tests;

/// <summary>Quantities read back as kube-apiserver writes them (apimachinery's canonical form), which is what every quota message shows.</summary>
public sealed class QuantityTests
{
    [Theory]
    [InlineData("1000m", "1")]
    [InlineData("0.5", "500m")]
    [InlineData("1500m", "1500m")]
    [InlineData("1000", "1k")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1536Mi", "1536Mi")]
    [InlineData("0.5Gi", "512Mi")]
    [InlineData("512Ki", "512Ki")]
    [InlineData("0.5Ki", "512")]
    [InlineData("2G", "2G")]
    [InlineData("2000M", "2G")]
    [InlineData("1e3", "1e3")]
    [InlineData("0.1m", "100u")]
    [InlineData("0", "0")]
    [InlineData("0Gi", "0")]
    public void Parsed_quantities_print_in_canonical_form(string written, string canonical) =>
        Assert.Equal(canonical, Quantity.Parse(written).ToString());

    [Theory]
    [InlineData("32Mi", "100M", "133554432")]
    [InlineData("0", "32Mi", "32Mi")]
    [InlineData("4Gi", "1536Mi", "5632Mi")]
    [InlineData("600m", "600m", "1200m")]
    public void Sums_keep_the_format_of_the_first_non_zero_term(string a, string b, string sum) =>
        Assert.Equal(sum, (Quantity.Parse(a) + Quantity.Parse(b)).ToString());

    [Theory]
    [InlineData("lots")]
    [InlineData("1K")]
    [InlineData("")]
    public void Text_that_is_not_a_quantity_is_refused(string text) => Assert.False(Quantity.TryParse(text, out _));
}
