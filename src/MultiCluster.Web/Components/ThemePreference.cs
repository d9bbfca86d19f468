namespace MultiCluster.Web.Components;

/// <summary>
/// The light/dark choice, remembered in a cookie so the first paint already has the right theme.
/// The cookie is set by <c>wwwroot/js/app.js</c> when the user toggles.
/// </summary>
public static class ThemePreference
{
    public const string CookieName = "mc-theme";
    public const string CascadingName = "InitialDarkMode";
    public const string SaveFunction = "multicluster.saveTheme";

    public static bool IsDark(HttpContext? context) =>
        context?.Request.Cookies[CookieName] is "dark";

    public static string CookieValue(bool dark) => dark ? "dark" : "light";
}
