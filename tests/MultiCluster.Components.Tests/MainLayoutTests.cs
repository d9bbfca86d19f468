using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Extensions;
using MultiCluster.Web.Components;
using MultiCluster.Web.Components.Layout;

namespace MultiCluster.Components.Tests;

public sealed class MainLayoutTests : DashboardTestContext
{
    [Fact]
    public void The_navigation_lists_every_section_of_the_product()
    {
        SignInAs(MultiCluster.Data.DashboardRoles.Administrator);
        var cut = RenderLayout(darkMode: false);

        var links = cut.FindAll("nav a").Select(a => (Text: a.TextContent.Trim(), Href: a.GetAttribute("href"))).ToList();

        Assert.Equal(
            [
                ("Overview", "/"), ("Clusters", "/clusters"), ("Pods", "/pods"), ("Triage", "/triage"),
                ("Quotas", "/quotas"), ("Access", "/access"), ("Virtual clusters", "/virtual-clusters"), ("Audit", "/audit"),
            ],
            links);
        Assert.Equal("MultiCluster", cut.Find(".product-name").TextContent);
        Assert.Contains("page body", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("true", cut.Find(".mud-layout").GetAttribute("data-interactive"));
        Assert.Equal("admin", cut.Find("[data-testid=signed-in-user]").TextContent);
        Assert.Equal("account/logout", cut.Find("form").GetAttribute("action"));
    }

    [Fact]
    public void A_viewer_is_not_offered_the_audit_log()
    {
        SignInAs(MultiCluster.Data.DashboardRoles.Viewer);
        var cut = RenderLayout(darkMode: false);
        Assert.DoesNotContain("/audit", cut.FindAll("nav a").Select(a => a.GetAttribute("href")));
        Assert.Contains("/triage", cut.FindAll("nav a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void A_user_without_a_role_is_offered_only_access_where_their_teams_show()
    {
        var cut = RenderLayout(darkMode: false);
        Assert.Equal(["/access"], cut.FindAll("nav a").Select(a => new Uri(a.GetAttribute("href")!, UriKind.RelativeOrAbsolute).ToString().Replace("about://", "")));
        Assert.Equal("admin", cut.Find("[data-testid=signed-in-user]").TextContent);
    }

    [Fact]
    public void The_theme_toggles_and_the_choice_is_saved_for_next_time()
    {
        var cut = RenderLayout(darkMode: false);
        Assert.False(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));
        Assert.Equal("Switch to dark theme", cut.Find("[data-testid=theme-toggle]").GetAttribute("aria-label"));

        cut.Find("[data-testid=theme-toggle]").Click();

        Assert.True(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));
        Assert.Equal("Switch to light theme", cut.Find("[data-testid=theme-toggle]").GetAttribute("aria-label"));
        Assert.Equal("dark", JSInterop.VerifyInvoke(ThemePreference.SaveFunction).Arguments.Single());

        cut.Find("[data-testid=theme-toggle]").Click();

        Assert.False(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));
        Assert.Equal(["dark", "light"], JSInterop.Invocations[ThemePreference.SaveFunction].Select(i => i.Arguments.Single()));
    }

    [Fact]
    public void A_remembered_dark_choice_is_the_first_theme_shown()
    {
        var cut = RenderLayout(darkMode: true);

        Assert.True(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));
        Assert.Equal("Switch to light theme", cut.Find("[data-testid=theme-toggle]").GetAttribute("aria-label"));
    }

    private IRenderedComponent<MainLayout> RenderLayout(bool darkMode) =>
        Render<MainLayout>(parameters => parameters
            .AddCascadingValue(ThemePreference.CascadingName, darkMode)
            .Add(p => p.Body, (RenderFragment)(builder => builder.AddContent(0, "page body"))));
}
