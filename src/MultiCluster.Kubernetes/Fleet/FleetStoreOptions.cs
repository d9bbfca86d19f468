namespace MultiCluster.Kubernetes.Fleet;

public sealed class FleetStoreOptions
{
    /// <summary>How often pending changes are sent to subscribers as one batch.</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Changes a subscriber may have missed, beyond the objects a snapshot of its kinds would hold, before it is sent a
    /// fresh snapshot instead (its missed changes are coalesced per object, so only deletes can outgrow a snapshot).
    /// </summary>
    public int SubscriberBacklog { get; set; } = 10_000;
}
