using MultiCluster.Core.Triage;

namespace MultiCluster.Kubernetes.Triage;

/// <summary>The triage rules' thresholds and how often time-dependent rules are judged again (configuration section Triage).</summary>
public sealed class TriageOptions
{
    public const string Section = "Triage";

    public TriageThresholds Thresholds { get; set; } = new();

    /// <summary>How often every pod is judged again for rules that time alone changes (Pending too long, restarts in the last hour).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The problem with these settings in plain words, or null.</summary>
    public string? Validate() =>
        SweepInterval <= TimeSpan.Zero ? "Triage:SweepInterval must be positive." :
        Thresholds.PendingFor <= TimeSpan.Zero ? "Triage:Thresholds:PendingFor must be positive." :
        Thresholds.Restarts < 1 ? "Triage:Thresholds:Restarts must be at least 1." :
        Thresholds.RestartWindow <= TimeSpan.Zero ? "Triage:Thresholds:RestartWindow must be positive." :
        Thresholds.QuotaWarning is <= 0 or > 1 ? "Triage:Thresholds:QuotaWarning must be a share between 0 and 1, such as 0.9." :
        Thresholds.WarningEvents < 1 ? "Triage:Thresholds:WarningEvents must be at least 1." :
        Thresholds.EventWindow <= TimeSpan.Zero ? "Triage:Thresholds:EventWindow must be positive." :
        null;
}
