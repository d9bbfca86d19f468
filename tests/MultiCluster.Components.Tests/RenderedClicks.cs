using Microsoft.AspNetCore.Components;

namespace MultiCluster.Components.Tests;

/// <summary>Clicks on pages that re-render by themselves (live refreshes, a registry change read again).</summary>
public static class RenderedClicks
{
    /// <summary>
    /// Waits until <paramref name="selector"/> is rendered, then finds and clicks it on the renderer's own thread: found
    /// outside it, a render in between leaves the click with an event handler that no longer exists.
    /// </summary>
    public static void ClickWhenRendered<TComponent>(this IRenderedComponent<TComponent> cut, string selector) where TComponent : IComponent
    {
        cut.WaitForElement(selector);
        cut.InvokeAsync(() => cut.Find(selector).Click()).GetAwaiter().GetResult();
    }

    /// <summary>Clicks the tab whose label starts with <paramref name="label"/> (MudTabs' headers carry no test id), the same way.</summary>
    public static void ClickTab<TComponent>(this IRenderedComponent<TComponent> cut, string label) where TComponent : IComponent
    {
        bool Labelled(AngleSharp.Dom.IElement tab) => tab.TextContent.StartsWith(label, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".mud-tab"), Labelled));
        cut.InvokeAsync(() => cut.FindAll(".mud-tab").Single(Labelled).Click()).GetAwaiter().GetResult();
    }
}
