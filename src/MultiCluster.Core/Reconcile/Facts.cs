namespace MultiCluster.Core.Reconcile;

/// <summary>A cluster as the planners see it: its name and labels.</summary>
public sealed record ClusterFacts(string Name, IReadOnlyDictionary<string, string> Labels);

/// <summary>A namespace as the planners see it: where it is, its name and labels.</summary>
public sealed record NamespaceFacts(string Cluster, string Name, IReadOnlyDictionary<string, string> Labels);
