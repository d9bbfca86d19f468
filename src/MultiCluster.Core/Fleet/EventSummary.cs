namespace MultiCluster.Core.Fleet;

/// <summary>A Warning event (Normal events are not kept).</summary>
public sealed record EventSummary : IFleetObject
{
    public FleetKind Kind => FleetKind.Event;

    public required string Cluster { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Key => FleetKeys.Of(Namespace, Name);

    public string Type { get; init; } = "Warning";

    public string Reason { get; init; } = "";

    public string Message { get; init; } = "";

    /// <summary>The object the event is about.</summary>
    public string InvolvedKind { get; init; } = "";

    public string? InvolvedNamespace { get; init; }

    public string InvolvedName { get; init; } = "";

    public int Count { get; init; } = 1;

    public DateTimeOffset? FirstSeen { get; init; }

    public DateTimeOffset? LastSeen { get; init; }
}
