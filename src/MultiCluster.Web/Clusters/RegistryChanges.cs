using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Web.Clusters;

/// <summary>Says "the registered clusters changed" to whoever watches them, in this process.</summary>
public sealed class RegistryChanges
{
    private readonly ChangeSignal _signal = new();

    public long Version => _signal.Version;

    public void Notify() => _signal.Notify();

    /// <summary>Completes once <see cref="Version"/> has moved past <paramref name="seen"/>, or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _signal.WaitAsync(seen, cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }
}
