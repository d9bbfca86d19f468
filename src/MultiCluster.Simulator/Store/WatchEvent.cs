namespace MultiCluster.Simulator.Store;

/// <summary>One change as a watch reports it: ADDED, MODIFIED or DELETED with the object at that resourceVersion.</summary>
public sealed record WatchEvent(string Type, StoredObject Object, DateTimeOffset Time)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";

    /// <summary>The object before this change (null for ADDED); in the kept history only its facts, its JSON empty.</summary>
    public StoredObject? Previous { get; init; }
}
