namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// Whether this replica may write to clusters: with several replicas only the leader writes, and it confirms it still leads
/// before each batch of writes, so a replica that lost the leadership (and may not know it yet) stops.
/// </summary>
public interface IWriteFence
{
    /// <summary>The current leadership's number; 0 while another replica leads.</summary>
    long Epoch { get; }

    /// <summary>Completes once <see cref="Epoch"/> is no longer <paramref name="seen"/>.</summary>
    Task WaitForChangeAsync(long seen, CancellationToken cancellationToken);

    /// <summary>True while this replica still leads in <paramref name="epoch"/>, checked against what holds the leadership.</summary>
    ValueTask<bool> ConfirmAsync(long epoch, CancellationToken cancellationToken);
}

/// <summary>One process, one writer: it always leads (SQLite, tests, benchmarks).</summary>
public sealed class SoleWriter : IWriteFence
{
    public static SoleWriter Instance { get; } = new();

    public long Epoch => 1;

    public Task WaitForChangeAsync(long seen, CancellationToken cancellationToken) =>
        seen == Epoch ? Task.Delay(Timeout.Infinite, cancellationToken) : Task.CompletedTask;

    public ValueTask<bool> ConfirmAsync(long epoch, CancellationToken cancellationToken) => ValueTask.FromResult(epoch == Epoch);
}

/// <summary>Carries a person's Repair, asked of a replica that does not lead, to the one that does.</summary>
public interface IRepairRelay
{
    void Relay(string ownerKind, string cluster, string owner, string? ns);
}
