namespace MultiCluster.Core;

/// <summary>This process among the dashboard's replicas: its host name (a pod's name in Kubernetes) and process id.</summary>
public static class Replica
{
    public static string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";
}
