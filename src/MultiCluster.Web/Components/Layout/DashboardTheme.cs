using MudBlazor;

namespace MultiCluster.Web.Components.Layout;

internal static class DashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#326ce5",
            AppbarBackground = "#1d3b72",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7aa2f7",
            AppbarBackground = "#16213a",
        },
    };
}
