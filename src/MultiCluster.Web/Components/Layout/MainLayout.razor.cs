using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace MultiCluster.Web.Components.Layout;

public partial class MainLayout
{
    private bool _drawerOpen = true;
    private bool _isDarkMode;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [CascadingParameter(Name = ThemePreference.CascadingName)]
    public bool InitialDarkMode { get; set; }

    private string ThemeToggleLabel => _isDarkMode ? "Switch to light theme" : "Switch to dark theme";

    protected override void OnInitialized() => _isDarkMode = InitialDarkMode;

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleThemeAsync()
    {
        _isDarkMode = !_isDarkMode;
        await JS.InvokeVoidAsync(ThemePreference.SaveFunction, ThemePreference.CookieValue(_isDarkMode));
    }
}
