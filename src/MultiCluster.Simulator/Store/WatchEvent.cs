namespace MultiCluster.Simulator.Store;

/// <summary>One change as a watch reports it: ADDED, MODIFIED or DELETED with the object at that resourceVersion.</summary>
public sealed record WatchEvent(string Type, StoredObject Object, DateTimeOffset Time)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";

    /// <summary>The object before this change, for controllers (null for ADDED and for replayed history).</summary>
    public StoredObject? Previous { get; init; }
}
