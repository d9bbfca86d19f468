namespace MultiCluster.Kubernetes.Fleet;

public sealed class FleetStoreOptions
{
    /// <summary>How often pending changes are sent to subscribers as one batch.</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Batches a subscriber may leave unread before it is resynced from a fresh snapshot instead.</summary>
    public int SubscriberBacklog { get; set; } = 50;
}
