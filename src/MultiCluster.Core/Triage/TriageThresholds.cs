namespace MultiCluster.Core.Triage;

/// <summary>Where the rules draw their lines; bound from configuration (Triage:*).</summary>
public sealed record TriageThresholds
{
    /// <summary>A pod Pending longer than this is a problem (scheduling or image trouble).</summary>
    public TimeSpan PendingFor { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Restarts at or above this count are a problem when the last one was within <see cref="RestartWindow"/>.</summary>
    public int Restarts { get; init; } = 5;

    public TimeSpan RestartWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A quota used at or above this share of a hard limit warns that deploys are about to be refused.</summary>
    public double QuotaWarning { get; init; } = 0.9;

    /// <summary>Warning events about one object at or above this count, the last within <see cref="EventWindow"/>.</summary>
    public int WarningEvents { get; init; } = 10;

    public TimeSpan EventWindow { get; init; } = TimeSpan.FromMinutes(15);
}
