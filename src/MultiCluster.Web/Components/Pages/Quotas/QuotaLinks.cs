namespace MultiCluster.Web.Components.Pages.Quotas;

/// <summary>Where the Quotas pages link to.</summary>
public static class QuotaLinks
{
    public static string Policy(string name) => $"/quotas/{Uri.EscapeDataString(name)}";

    public static string Usage(string policy) => $"/quotas?tab=usage&policy={Uri.EscapeDataString(policy)}";
}
