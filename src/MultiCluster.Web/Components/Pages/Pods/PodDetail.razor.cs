using System.Security.Claims;
using k8s.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Access;
using MultiCluster.Web.Fleet;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Components.Pages.Pods;

public sealed partial class PodDetail
{
    private List<BreadcrumbItem> _breadcrumbs = [];
    private ClusterSummary? _cluster;
    private PodSummary? _summary;
    private V1Pod? _pod;
    private IReadOnlyList<EventSummary> _events = [];
    private string? _problem;
    private string? _logsRefusal;
    private bool _fetching;

    [Parameter]
    public string Cluster { get; set; } = "";

    [Parameter]
    public string Namespace { get; set; } = "";

    [Parameter]
    public string Name { get; set; } = "";

    /// <summary><c>?previous=true</c> opens on the log of the previous container instance (what a crash-looping pod printed before it died).</summary>
    [SupplyParameterFromQuery(Name = "previous")]
    public bool? Previous { get; set; }

    [SupplyParameterFromQuery(Name = "container")]
    public string? ContainerParameter { get; set; }

    [Inject]
    private PodLogs Logs { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    /// <summary>The pod's page; its names come from the cluster, so they are escaped as the triage links escape them.</summary>
    public static string Href(PodSummary pod) =>
        $"/clusters/{Uri.EscapeDataString(pod.Cluster)}/pods/{Uri.EscapeDataString(pod.Namespace)}/{Uri.EscapeDataString(pod.Name)}";

    protected override FleetFilter Filter => new(new HashSet<FleetKind> { FleetKind.Cluster, FleetKind.Pod, FleetKind.Event }, c => c == Cluster);

    protected override async Task OnInitializedAsync()
    {
        _breadcrumbs = [new("Pods", "/pods"), new(Cluster, $"/clusters/{Cluster}"), new($"{Namespace}/{Name}", null, disabled: true)];
        await base.OnInitializedAsync();
        _logsRefusal = Fleet.Refusal(DashboardActions.ReadLogs, Cluster, "read logs");
        if (IsLive)
        {
            await FetchPodAsync(Stopping);
        }
    }

    protected override void Refresh()
    {
        _cluster = Fleet.Cluster(Cluster);
        var summary = Fleet.Get<PodSummary>(FleetKind.Pod, Cluster, FleetKeys.Of(Namespace, Name));
        var changed = !ReferenceEquals(summary, _summary);
        _summary = summary;
        _events = [.. Fleet.All<EventSummary>(FleetKind.Event, Cluster)
            .Where(e => e.InvolvedKind == "Pod" && e.InvolvedName == Name && (e.InvolvedNamespace ?? e.Namespace) == Namespace)
            .OrderByDescending(e => e.LastSeen)];
        if (changed && summary is not null && !_fetching && _pod is not null)
        {
            // The summary moved on (a restart, a new state): fetch the full pod again for the container details.
            RunInBackground(async stopping =>
            {
                await FetchPodAsync(stopping);
                StateHasChanged();
            });
        }
    }

    private async Task FetchPodAsync(CancellationToken cancellationToken)
    {
        _fetching = true;
        try
        {
            var (pod, problem) = await Logs.ReadPodAsync(User, Cluster, Namespace, Name, cancellationToken);
            _pod = pod ?? _pod;
            _problem = problem?.Message;
        }
        finally
        {
            _fetching = false;
        }
    }

    private IReadOnlyList<string> ContainerNames() =>
        [.. (_pod?.Spec?.Containers ?? []).Select(c => c.Name)];

    private IEnumerable<ContainerRow> Containers()
    {
        foreach (var container in _pod?.Spec?.Containers ?? [])
        {
            var status = _pod?.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container.Name);
            var state = status?.State switch
            {
                { Running: not null } => "Running",
                { Waiting: { } waiting } => $"Waiting: {waiting.Reason}",
                { Terminated: { } terminated } => $"Terminated: {terminated.Reason} (exit {terminated.ExitCode})",
                _ => "Unknown",
            };
            var last = status?.LastState?.Terminated is { } t
                ? $"{t.Reason} (exit {t.ExitCode}) {Core.Ages.Format(t.FinishedAt is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) : null, Time.GetUtcNow())} ago"
                : "–";
            yield return new ContainerRow(container.Name, container.Image ?? "", state, status?.Ready == true, status?.RestartCount ?? 0, last);
        }
    }

    private sealed record ContainerRow(string Name, string Image, string State, bool Ready, int Restarts, string LastTermination);
}
