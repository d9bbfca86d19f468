namespace MultiCluster.Web.Clusters;

public static class ClusterAuditActions
{
    public const string Register = "cluster.register";
    public const string Edit = "cluster.edit";
    public const string Remove = "cluster.remove";
    public const string Test = "cluster.test";

    public static string Target(string name) => $"cluster/{name}";
}
