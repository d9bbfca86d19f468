using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Web.VirtualClusters;

namespace MultiCluster.Web.Components.Pages.VirtualClusters;

/// <summary>A vCluster made from the Virtual clusters page: where it runs and is registered as a cluster.</summary>
public sealed record CreatedVirtualCluster(string Host, string Name, string Cluster);

/// <summary>
/// Creates a vCluster: the form is checked as it is typed (the spec's own rules), then the service's progress is shown line
/// by line until the vCluster answers and is registered. A failure keeps the form as typed; stopping cancels the create,
/// and the service removes what it made.
/// </summary>
public sealed partial class CreateVirtualClusterDialog : IDisposable
{
    private static readonly IReadOnlyList<IsolationColumn> QuotaColumns = [new("hard", "Hard")];
    private static readonly IReadOnlyList<IsolationColumn> LimitColumns = [new("request", "Default request"), new("limit", "Default limit")];

    private readonly VirtualClusterForm _form = new();
    private readonly ProgressLines _progress;
    private IReadOnlyList<IsolationRow> _quotaRows = [];
    private IReadOnlyList<IsolationRow> _limitRows = [];
    private IReadOnlyList<string> _problems = [];
    private CancellationTokenSource? _cancel;
    private bool _running;
    private string? _failure;
    private CreatedVirtualCluster? _created;

    public CreateVirtualClusterDialog() => _progress = new ProgressLines(() => _ = InvokeAsync(StateHasChanged));

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private VirtualClusterService Service { get; set; } = default!;

    [Parameter, EditorRequired]
    public ClaimsPrincipal User { get; set; } = default!;

    /// <summary>The clusters the person may create a vCluster on.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<ClusterSummary> Hosts { get; set; } = [];

    /// <summary>Opens the dialog; the vCluster made, or null when none was.</summary>
    public static async Task<CreatedVirtualCluster?> ShowAsync(IDialogService dialogs, ClaimsPrincipal user, IReadOnlyList<ClusterSummary> hosts)
    {
        var parameters = new DialogParameters<CreateVirtualClusterDialog> { { d => d.User, user }, { d => d.Hosts, hosts } };
        // Clicking beside the dialog must neither lose what was typed nor leave a create running unseen.
        var options = new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = false, BackdropClick = false };
        var dialog = await dialogs.ShowAsync<CreateVirtualClusterDialog>("Create vCluster", parameters, options);
        return await dialog.Result is { Canceled: false, Data: CreatedVirtualCluster created } ? created : null;
    }

    protected override void OnInitialized()
    {
        if (Hosts.Count == 1)
        {
            _form.Host = Hosts[0].Cluster;
        }
        _quotaRows = [.. _form.Quota.Select(q => new IsolationRow(q.Resource, [q]))];
        _limitRows = [.. _form.DefaultRequests.Select(r => new IsolationRow(r.Resource, [r, _form.DefaultLimits.First(l => l.Resource == r.Resource)]))];
        Changed();
    }

    private void Changed() => _problems = _form.Problems();

    private static string HostText(ClusterSummary host) =>
        host.Health is ClusterHealth.Synced or ClusterHealth.Degraded ? host.Cluster : $"{host.Cluster} ({host.Health})";

    private async Task CreateAsync()
    {
        Changed();
        if (_running || _problems.Count > 0)
        {
            return;
        }
        var spec = _form.ToSpec();
        _running = true;
        _failure = null;
        _progress.Clear();
        using var cancel = _cancel = new CancellationTokenSource();
        try
        {
            var outcome = await Service.CreateAsync(User, spec, _progress, cancel.Token);
            if (outcome.Succeeded)
            {
                _created = new CreatedVirtualCluster(spec.Host, spec.Name, outcome.Cluster ?? spec.Name);
            }
            else
            {
                _failure = outcome.Problem;
            }
        }
        catch (OperationCanceledException)
        {
            _failure = $"Stopped. If vCluster {spec.Name} had already started on {spec.Host}, it shows in the list: delete it there.";
        }
        finally
        {
            _cancel = null;
            _running = false;
        }
    }

    private void Cancel()
    {
        if (_running)
        {
            _cancel?.Cancel();
            return;
        }
        Dialog.Cancel();
    }

    private void Close() => Dialog.Close(DialogResult.Ok(_created));

    public void Dispose() => _cancel?.Cancel();

    /// <summary>The service's progress lines in the order it reports them, from whatever thread it reports on.</summary>
    private sealed class ProgressLines(Action changed) : IProgress<string>
    {
        private readonly Lock _gate = new();
        private List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_gate)
                {
                    return [.. _lines];
                }
            }
        }

        public void Report(string value)
        {
            lock (_gate)
            {
                _lines.Add(value);
            }
            changed();
        }

        public void Clear()
        {
            lock (_gate)
            {
                _lines = [];
            }
        }
    }
}
