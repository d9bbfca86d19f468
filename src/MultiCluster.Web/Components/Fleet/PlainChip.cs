using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace MultiCluster.Web.Components.Fleet;

/// <summary>
/// A small MudChip's markup and look, without its components (a chip, its container, a tooltip and their event
/// handlers): for table rows a live page renders again at every refresh. Hover text is the element's own title.
/// </summary>
public static class PlainChip
{
    public static RenderFragment Of(string text, Color color, Variant variant, string testId, string? label = null, string? title = null) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "mud-chip-container");
        builder.OpenElement(2, "div");
        builder.AddAttribute(3, "class", $"mud-chip mud-chip-{Lower(variant)} mud-chip-size-small mud-chip-color-{Lower(color)}");
        builder.AddAttribute(4, "data-testid", testId);
        builder.AddAttribute(5, "aria-label", label);
        builder.AddAttribute(6, "title", title);
        builder.OpenElement(7, "span");
        builder.AddAttribute(8, "class", "mud-chip-content");
        builder.AddContent(9, text);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
