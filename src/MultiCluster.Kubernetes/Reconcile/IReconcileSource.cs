using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// One user of the engine (quota policies; later access grants and vCluster isolation): what it writes and, for a
/// cluster and its namespaces, the objects it wants there. The engine does the rest: observe, diff, apply, report.
/// </summary>
public interface IReconcileSource
{
    /// <summary>The owner label's kind (<c>policy</c>): <c>multicluster.io/&lt;kind&gt;: &lt;owner&gt;</c> marks our objects.</summary>
    string OwnerKind { get; }

    /// <summary>The store kinds whose objects it writes (their informers feed the engine).</summary>
    IReadOnlyList<FleetKind> Kinds { get; }

    /// <summary>Moves whenever what the owners want may have changed (a policy saved or deleted).</summary>
    long Version { get; }

    /// <summary>Completes once <see cref="Version"/> has moved past <paramref name="seen"/>.</summary>
    Task WaitForChangeAsync(long seen, CancellationToken cancellationToken);

    /// <summary>
    /// Pure: the objects wanted in <paramref name="cluster"/>, from its labels and namespaces; null while the source does
    /// not know its owners yet (nothing is judged then, so nothing of ours is deleted as unwanted before the registry is read).
    /// </summary>
    ClusterPlan? Plan(ClusterFacts cluster, IReadOnlyList<NamespaceFacts> namespaces);
}

/// <summary>Which clusters the engine may write to, and with which client: the watched clusters' own.</summary>
public interface IClusterClients
{
    k8s.IKubernetes? Client(string cluster);
}

/// <summary>What the engine did to one owner's objects in one cluster since the last entry, for the audit log.</summary>
public sealed record ReconcileSummary(string OwnerKind, string Owner, string Cluster, int Created, int Updated, int Repaired, int Deleted, int Failed, string? LastError);

/// <summary>Where the engine's summaries go (the audit log, in the dashboard).</summary>
public interface IReconcileJournal
{
    Task RecordAsync(IReadOnlyList<ReconcileSummary> summaries, CancellationToken cancellationToken);
}

/// <summary>How the engine writes: how fast per cluster, how it backs off, how often it summarises.</summary>
public sealed class ReconcileOptions
{
    public const string Section = "Reconcile";

    /// <summary>Writes per second to one cluster (a token bucket; bursts up to this many).</summary>
    public int WritesPerSecond { get; set; } = 20;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one write may take before it counts as failed.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often what the engine did is summarised into the journal.</summary>
    public TimeSpan JournalInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first setting that makes no sense, in words naming it; null when all are fine.</summary>
    public string? Validate() =>
        WritesPerSecond is < 1 or > 10_000 ? $"{Section}:WritesPerSecond must be between 1 and 10000 (it is {WritesPerSecond})."
        : InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff ? $"{Section}:InitialBackoff must be positive and {Section}:MaxBackoff at least as long."
        : WriteTimeout <= TimeSpan.Zero ? $"{Section}:WriteTimeout must be positive."
        : JournalInterval <= TimeSpan.Zero ? $"{Section}:JournalInterval must be positive."
        : null;
}
