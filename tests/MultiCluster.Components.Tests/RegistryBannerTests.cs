using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data;
using MultiCluster.Web.Components;
using MultiCluster.Web.Components.Layout;

namespace MultiCluster.Components.Tests;

/// <summary>The layout while the registry database does not answer: the banner, and a page that needs the registry.</summary>
public sealed class RegistryBannerTests : DashboardTestContext
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 14, 2, 30, TimeSpan.Zero));

    private readonly RegistryReads _reads = new();

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(_reads);
    }

    private RegistryAvailability Availability => Services.GetRequiredService<RegistryAvailability>();

    [Fact]
    public void The_banner_says_since_when_the_registry_is_unreachable_and_clears_by_itself()
    {
        var cut = RenderLayout(builder => builder.AddContent(0, "live pods"));
        Assert.Empty(cut.FindAll("[data-testid=registry-banner]"));

        Availability.ReportUnreachable();
        _time.Advance(TimeSpan.FromMinutes(3));
        Availability.ReportUnreachable();

        cut.WaitForAssertion(() => Assert.Equal(
            "The registry database is unreachable since 14:02 UTC; live cluster state still updates; changes are paused.",
            cut.Find("[data-testid=registry-banner]").TextContent.Trim()));
        Assert.Contains("live pods", cut.Markup, StringComparison.Ordinal);

        Availability.ReportReachable();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=registry-banner]")));
    }

    [Fact]
    public void A_page_that_needs_the_registry_says_so_in_its_place_and_comes_back_when_it_answers()
    {
        var cut = RenderLayout(builder =>
        {
            builder.OpenComponent<RegistryReadingPage>(0);
            builder.CloseComponent();
        });
        Assert.Equal("3 clusters", cut.Find("[data-testid=registry-page]").TextContent);

        _reads.Down = true;
        cut.Find("[data-testid=reload]").Click();

        // The page's place says why; the navigation and the banner stay, the circuit goes on.
        cut.WaitForAssertion(() => Assert.Contains("needs the registry database", cut.Find("[data-testid=page-registry-outage]").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(cut.FindAll("[data-testid=registry-banner]"));
        Assert.NotEmpty(cut.FindAll("nav a"));

        _reads.Down = false;
        Availability.ReportReachable();

        cut.WaitForAssertion(() => Assert.Equal("3 clusters", cut.Find("[data-testid=registry-page]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=page-registry-outage]"));
        Assert.Empty(cut.FindAll("[data-testid=registry-banner]"));
    }

    [Fact]
    public void A_page_that_fails_for_another_reason_says_so_in_its_place_without_blaming_the_registry()
    {
        var cut = RenderLayout(builder =>
        {
            builder.OpenComponent<RegistryReadingPage>(0);
            builder.CloseComponent();
        });

        _reads.Broken = true;
        cut.Find("[data-testid=reload]").Click();

        cut.WaitForAssertion(() => Assert.Contains("This page failed", cut.Find("[data-testid=page-failed]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=registry-banner]"));
        Assert.True(Availability.IsReachable);
        Assert.NotEmpty(cut.FindAll("nav a"));
    }

    [Fact]
    public async Task A_dialog_whose_change_needs_the_registry_closes_says_why_and_dialogs_open_again()
    {
        var cut = RenderLayout(builder => builder.AddContent(0, "live pods"));
        var dialogs = Services.GetRequiredService<MudBlazor.IDialogService>();
        await cut.InvokeAsync(() => dialogs.ShowAsync<RegistryReadingPage>("Edit labels"));
        Assert.Equal("3 clusters", cut.Find("[data-testid=registry-page]").TextContent);

        _reads.Down = true;
        cut.Find("[data-testid=reload]").Click();

        cut.WaitForAssertion(() => Assert.Contains("The registry database does not answer, so nothing was changed", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=registry-page]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=registry-banner]"));
        Assert.Contains("live pods", cut.Markup, StringComparison.Ordinal);

        _reads.Down = false;
        await cut.InvokeAsync(() => dialogs.ShowAsync<RegistryReadingPage>("Edit labels"));
        cut.WaitForAssertion(() => Assert.Equal("3 clusters", cut.Find("[data-testid=registry-page]").TextContent));
    }

    private IRenderedComponent<MainLayout> RenderLayout(RenderFragment body) =>
        Render<MainLayout>(parameters => parameters
            .AddCascadingValue(ThemePreference.CascadingName, false)
            .Add(p => p.Body, body));

    /// <summary>Whether the test page's reads of the registry fail as they do in an outage.</summary>
    private sealed class RegistryReads
    {
        public bool Down { get; set; }

        public bool Broken { get; set; }
    }

    /// <summary>A page that reads the registry, as the cluster list does.</summary>
    private sealed class RegistryReadingPage : ComponentBase
    {
        [Inject]
        private RegistryReads Reads { get; set; } = default!;

        private string? _text;

        protected override void OnInitialized() => Read();

        private void Read() => _text =
            Reads.Down ? throw new RegistryUnavailableException("The registry database does not answer.")
            : Reads.Broken ? throw new InvalidOperationException("A bug.")
            : "3 clusters";

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "data-testid", "registry-page");
            builder.AddContent(2, _text);
            builder.CloseElement();
            builder.OpenElement(3, "button");
            builder.AddAttribute(4, "data-testid", "reload");
            builder.AddAttribute(5, "onclick", EventCallback.Factory.Create(this, Read));
            builder.CloseElement();
        }
    }
}
