using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
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
    public async Task A_cleared_search_stays_cleared_when_the_page_renders_before_typing_pauses_and_reaches_the_page_after()
    {
        var cut = Field("e2e-probe");

        await Type(cut, "");
        // The page renders with the value it still has (a live refresh, another filter picked meanwhile).
        cut.Render(p => p.Add(f => f.Value, "e2e-probe").Add(f => f.ValueChanged, Told));

        Assert.Equal("", cut.Find("input").GetAttribute("value"));
        Assert.Empty(_told);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        await Settled(cut);
        Assert.Equal([""], _told);
        Assert.Equal("", cut.Find("input").GetAttribute("value"));
    }

    [Fact]
    public async Task Leaving_the_field_or_pressing_enter_tells_the_page_at_once_and_only_once()
    {
        var cut = Field(null);

        await Type(cut, "web");
        await cut.Find("input").BlurAsync(new FocusEventArgs());
        Assert.Equal(["web"], _told);

        await Type(cut, "web-2");
        await cut.Find("input").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });
        Assert.Equal(["web", "web-2"], _told);

        _time.Advance(TimeSpan.FromSeconds(1));
        await cut.Find("input").BlurAsync(new FocusEventArgs());
        Assert.Equal(["web", "web-2"], _told);
    }

    [Fact]
    public async Task Typing_on_tells_the_page_once_for_the_last_text()
    {
        var cut = Field(null);

        await Type(cut, "w");
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await Type(cut, "we");
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await Type(cut, "web");
        Assert.Empty(_told);

        _time.Advance(TimeSpan.FromMilliseconds(250));
        await Settled(cut);
        Assert.Equal(["web"], _told);
    }

    [Fact]
    public async Task A_value_the_page_sets_itself_replaces_what_was_being_typed()
    {
        var cut = Field("dev");

        await Type(cut, "pro");
        cut.Render(p => p.Add(f => f.Value, "prod-eu").Add(f => f.ValueChanged, Told));

        Assert.Equal("prod-eu", cut.Find("input").GetAttribute("value"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await cut.Find("input").BlurAsync(new FocusEventArgs());
        Assert.Empty(_told);
    }

    private IRenderedComponent<FilterField> Field(string? value) =>
        Render<FilterField>(p => p.Add(f => f.Value, value).Add(f => f.ValueChanged, Told).Add(f => f.Label, "Name"));

    private void Told(string? value) => _told.Add(value);

    // The pause's end, once the clock passed it, is queued on the renderer (the field's context): work queued after it
    // runs after it. Telling the page renders nothing of the field, so waiting for a render would wait for nothing.
    private static Task Settled(IRenderedComponent<FilterField> cut) => cut.InvokeAsync(() => { });

    // Awaited to the end of its handling, so the field's pause starts before the test moves the clock on.
    private static Task Type(IRenderedComponent<FilterField> cut, string text) => cut.Find("input").InputAsync(new ChangeEventArgs { Value = text });
}
