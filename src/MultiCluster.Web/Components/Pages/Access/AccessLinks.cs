namespace MultiCluster.Web.Components.Pages.Access;

/// <summary>Where the Access pages link to.</summary>
public static class AccessLinks
{
    public const string Teams = "/access";

    public const string Grants = "/access?tab=grants";

    public static string Team(string name) => $"/access/teams/{Uri.EscapeDataString(name)}";

    public static string Grant(string name) => $"/access/grants/{Uri.EscapeDataString(name)}";
}
