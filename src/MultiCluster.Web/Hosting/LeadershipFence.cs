using MultiCluster.Data.Replicas;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Web.Hosting;

/// <summary>The engines' <see cref="IWriteFence"/>: the registry's leadership (an advisory lock on PostgreSQL; always held on SQLite).</summary>
public sealed class LeadershipFence : IWriteFence
{
    private readonly RegistryLeadership _leadership;
    private readonly ChangeSignal _changed = new();

    public LeadershipFence(RegistryLeadership leadership)
    {
        _leadership = leadership;
        _leadership.Changed += _ => _changed.Notify();
    }

    public long Epoch => _leadership.Epoch;

    public Task WaitForChangeAsync(long seen, CancellationToken cancellationToken) => _changed.WaitUntilAsync(() => Epoch != seen, cancellationToken);

    public ValueTask<bool> ConfirmAsync(long epoch, CancellationToken cancellationToken) => _leadership.ConfirmAsync(epoch, cancellationToken);
}
