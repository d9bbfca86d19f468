namespace MultiCluster.Web.Health;

public static class HealthTags
{
    public const string Ready = "ready";
}
