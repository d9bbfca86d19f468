using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Web.Components;
using MultiCluster.Web.Components.Pages;

namespace MultiCluster.Components.Tests;

public sealed class SectionPlaceholderTests : DashboardTestContext
{
    [Theory]
    [InlineData("/virtual-clusters", "Virtual clusters", "come with virtual clusters")]
    public void A_section_not_built_yet_says_honestly_what_brings_it(string path, string title, string expected)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(path);

        var cut = Render<SectionPlaceholder>();

        Assert.Equal(title, cut.Find("h1").TextContent);
        Assert.Contains(expected, cut.Find("[data-testid=coming-soon]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Not built yet", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Moving_to_another_section_updates_the_page_in_place()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/virtual-clusters");
        var cut = Render<SectionPlaceholder>();

        navigation.NavigateTo("/audit");

        cut.WaitForAssertion(() => Assert.Equal("Audit", cut.Find("h1").TextContent));
    }

    [Fact]
    public void Every_section_has_a_route_and_a_promise()
    {
        Assert.All(DashboardSections.All, s => Assert.Same(s, DashboardSections.ForPath(s.Href)));
        Assert.All(DashboardSections.All.Where(s => s.ComingWith is not null), s => Assert.Contains("come", s.ComingWith, StringComparison.Ordinal));
    }
}
