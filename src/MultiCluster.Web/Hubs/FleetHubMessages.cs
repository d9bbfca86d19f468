namespace MultiCluster.Web.Hubs;

/// <summary>What to follow: kinds by their plural Kubernetes names (clusters, nodes, pods, namespaces, events, resourcequotas, limitranges, virtualclusters; and the dashboard's own problems and policytargets), and optionally only some clusters.</summary>
public sealed record FleetSubscriptionRequest(IReadOnlyList<string> Kinds, IReadOnlyList<string>? Clusters = null);

/// <summary>
/// One message of a subscription. The first has <see cref="Reset"/> set: drop what you hold and start from
/// these upserts (a large snapshot continues in further messages); a client that fell behind gets another.
/// </summary>
public sealed record FleetBatchMessage(bool Reset, IReadOnlyList<FleetChangeMessage> Changes);

/// <summary>An upsert (<see cref="Object"/> set, a summary such as a PodSummary) or a delete (<see cref="Object"/> null).</summary>
public sealed record FleetChangeMessage(string Kind, string Cluster, string Key, object? Object);
