using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MultiCluster.Web.Components.Fleet;

namespace MultiCluster.Components.Tests;

/// <summary>A page's text filter: what is typed reaches the page once typing pauses, and is never put back by a render.</summary>
public sealed class FilterFieldTests : DashboardTestContext
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<string?> _told = [];

    protected override void AddServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_time);

    [Fact]
    public void A_cleared_search_stays_cleared_when_the_page_renders_before_typing_pauses_and_reaches_the_page_after()
    {
        var cut = Field("e2e-probe");

        cut.Find("input").Input("");
        // The page renders with the value it still has (a live refresh, another filter picked meanwhile).
        cut.Render(p => p.Add(f => f.Value, "e2e-probe").Add(f => f.ValueChanged, Told));

        Assert.Equal("", cut.Find("input").GetAttribute("value"));
        Assert.Empty(_told);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        cut.WaitForAssertion(() => Assert.Equal([""], _told));
        Assert.Equal("", cut.Find("input").GetAttribute("value"));
    }

    [Fact]
    public void Leaving_the_field_or_pressing_enter_tells_the_page_at_once_and_only_once()
    {
        var cut = Field(null);

        cut.Find("input").Input("web");
        cut.Find("input").Blur();
        Assert.Equal(["web"], _told);

        cut.Find("input").Input("web-2");
        cut.Find("input").KeyDown(Key.Enter);
        Assert.Equal(["web", "web-2"], _told);

        _time.Advance(TimeSpan.FromSeconds(1));
        cut.Find("input").Blur();
        Assert.Equal(["web", "web-2"], _told);
    }

    [Fact]
    public void Typing_on_tells_the_page_once_for_the_last_text()
    {
        var cut = Field(null);

        cut.Find("input").Input("w");
        _time.Advance(TimeSpan.FromMilliseconds(200));
        cut.Find("input").Input("we");
        _time.Advance(TimeSpan.FromMilliseconds(200));
        cut.Find("input").Input("web");
        Assert.Empty(_told);

        _time.Advance(TimeSpan.FromMilliseconds(250));
        cut.WaitForAssertion(() => Assert.Equal(["web"], _told));
    }

    [Fact]
    public void A_value_the_page_sets_itself_replaces_what_was_being_typed()
    {
        var cut = Field("dev");

        cut.Find("input").Input("pro");
        cut.Render(p => p.Add(f => f.Value, "prod-eu").Add(f => f.ValueChanged, Told));

        Assert.Equal("prod-eu", cut.Find("input").GetAttribute("value"));
        _time.Advance(TimeSpan.FromSeconds(1));
        cut.Find("input").Blur();
        Assert.Empty(_told);
    }

    private IRenderedComponent<FilterField> Field(string? value) =>
        Render<FilterField>(p => p.Add(f => f.Value, value).Add(f => f.ValueChanged, Told).Add(f => f.Label, "Name"));

    private void Told(string? value) => _told.Add(value);
}
