using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Web.Quotas;
using MultiCluster.Web.VirtualClusters;

namespace MultiCluster.Web.Components.Pages.VirtualClusters;

public sealed partial class VirtualClusterTableRow
{
    [Parameter, EditorRequired]
    public VirtualClusterRow Row { get; set; } = default!;

    /// <summary>The cluster the vCluster is registered as, from the store (null while it has published no summary).</summary>
    [Parameter]
    public ClusterSummary? Registered { get; set; }

    [Parameter]
    public DateTimeOffset Now { get; set; }

    /// <summary>Why the person may not pause, resume, delete or register it; null when they may.</summary>
    [Parameter]
    public string? ManageRefusal { get; set; }

    /// <summary>Why the person may not download its kubeconfig; null when they may.</summary>
    [Parameter]
    public string? ConnectRefusal { get; set; }

    /// <summary>An action on this vCluster is running.</summary>
    [Parameter]
    public bool Busy { get; set; }

    [Parameter]
    public EventCallback<VirtualClusterRow> OnPause { get; set; }

    [Parameter]
    public EventCallback<VirtualClusterRow> OnResume { get; set; }

    [Parameter]
    public EventCallback<VirtualClusterRow> OnDelete { get; set; }

    [Parameter]
    public EventCallback<VirtualClusterRow> OnManage { get; set; }

    private string KubeconfigHref => Api.VirtualClusterEndpoints.KubeconfigDownload(Row.Host, Row.Namespace, Row.Name);

    private string Context => VirtualClusterNames.Context(Row.Name, Row.Namespace, Row.Host);

    private string ConnectTooltip =>
        ConnectRefusal ?? $"Downloads a kubeconfig with context {Context}" + (Row.Paused ? $" ({Row.Name} is paused: it answers once resumed)" : "");

    // A paused vCluster does not answer, and registering waits until it does.
    private string? ManageProblem => ManageRefusal ?? (Row.Paused ? $"Resume {Row.Name} first: a paused vCluster does not answer, so it cannot be registered." : null);

    private string ManageTooltip => ManageProblem ?? $"Register {Row.Name} as a cluster, so the dashboard watches what runs inside it";

    private string DeleteTooltip =>
        ManageRefusal
        ?? (Row.NonDeletable ? $"{Row.Name} is marked {VirtualClusterNames.NonDeletableAnnotation}=true on {Row.Host}: remove that annotation to delete it." : null)
        ?? $"Delete {Row.Name} and everything it has on {Row.Host}";

    /// <summary>Where a quota counts as nearly full (the triage rules' threshold), for the usage bar's colour.</summary>
    [Parameter]
    public double QuotaWarning { get; set; } = 0.9;

    private Color UsageColor(QuotaResource resource) => QuotaUsageQuery.LevelOf(resource, QuotaWarning) switch
    {
        UsageLevel.Full => Color.Error,
        UsageLevel.Warning => Color.Warning,
        _ => Color.Success,
    };
}
