using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MultiCluster.Web.Fleet;

namespace MultiCluster.Web.Components.Pages.Pods;

/// <summary>A pod's log: pick a container, the last N lines, the previous instance, follow live, download.</summary>
public sealed partial class PodLogView : IAsyncDisposable
{
    /// <summary>A followed log keeps this many lines on the page; the download has them all.</summary>
    private const int MaxFollowedLines = 5_000;

    private readonly List<string> _followed = [];
    private CancellationTokenSource? _following;
    private Task _followLoop = Task.CompletedTask;
    private string? _container;
    private int _tail = 200;
    private bool _previous;
    private bool _follow;
    private bool _loading;
    private string _text = "";
    private string? _problem;

    [Parameter, EditorRequired]
    public string Cluster { get; set; } = "";

    [Parameter, EditorRequired]
    public string Namespace { get; set; } = "";

    [Parameter, EditorRequired]
    public string Pod { get; set; } = "";

    [Parameter]
    public IReadOnlyList<string> Containers { get; set; } = [];

    /// <summary>The pod could not be read (refused, gone): its containers are not known.</summary>
    [Parameter]
    public bool PodUnreadable { get; set; }

    private bool _askedUnnamed;

    /// <summary>The container to open on; the first one when not given.</summary>
    [Parameter]
    public string? Container { get; set; }

    /// <summary>Open on the previous container instance's log.</summary>
    [Parameter]
    public bool Previous { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private PodLogs Logs { get; set; } = default!;

    private ClaimsPrincipal _user = new();

    private string DownloadHref =>
        $"/clusters/{Uri.EscapeDataString(Cluster)}/pods/{Uri.EscapeDataString(Namespace)}/{Uri.EscapeDataString(Pod)}/logs" +
        $"?container={Uri.EscapeDataString(_container ?? "")}&previous={(_previous ? "true" : "false")}";

    protected override async Task OnParametersSetAsync()
    {
        var container = _container ?? Container ?? Containers.FirstOrDefault();
        if (container is null)
        {
            // The pod itself could not be read (its containers are unknown): ask once without naming one, so the cluster
            // picks its only or default container, or says why the person may not read it.
            if (!PodUnreadable || _askedUnnamed)
            {
                return;
            }
            _askedUnnamed = true;
        }
        else if (container == _container && _text.Length > 0)
        {
            return;
        }
        _container = container;
        _previous = Previous;
        _user = AuthenticationState is null ? new() : (await AuthenticationState).User;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        await StopFollowingAsync();
        _loading = true;
        _problem = null;
        var request = new LogRequest(Cluster, Namespace, Pod, _container, _previous, Math.Max(1, _tail));
        if (_follow && !_previous)
        {
            _followed.Clear();
            _text = "";
            _following = new CancellationTokenSource();
            _followLoop = FollowAsync(request, _following.Token);
            _loading = false;
            return;
        }
        var (text, problem) = await Logs.ReadAsync(_user, request);
        _text = text ?? "";
        _problem = problem?.Message ?? (text is { Length: 0 } ? (_previous ? "The previous container printed nothing, or there was none." : "The container has printed nothing yet.") : null);
        _loading = false;
    }

    private async Task FollowAsync(LogRequest request, CancellationToken cancellationToken)
    {
        var dirty = 0;
        async Task ReadAsync()
        {
            await foreach (var line in Logs.FollowAsync(_user, request, cancellationToken))
            {
                lock (_followed)
                {
                    _followed.Add(line);
                    if (_followed.Count > MaxFollowedLines)
                    {
                        _followed.RemoveRange(0, _followed.Count - MaxFollowedLines);
                    }
                }
                Interlocked.Exchange(ref dirty, 1);
            }
        }

        // Lines arrive one by one; the page is rendered at most four times a second.
        async Task RenderAsync(CancellationToken stop)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (Interlocked.Exchange(ref dirty, 0) == 1)
                {
                    string text;
                    lock (_followed)
                    {
                        text = string.Join('\n', _followed);
                    }
                    await InvokeAsync(() =>
                    {
                        _text = text;
                        StateHasChanged();
                    });
                }
            }
        }

        using var stopRendering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rendering = RenderAsync(stopRendering.Token);
        string? problem = null;
        try
        {
            await ReadAsync();
        }
        catch (OperationCanceledException)
        {
        }
        catch (PodReadException ex)
        {
            problem = ex.Message;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or k8s.Autorest.HttpOperationException)
        {
            problem = $"Following the log stopped: {ex.Message}";
        }
        if (!cancellationToken.IsCancellationRequested)
        {
            // The container stopped or the stream broke: show the last lines, then say why it ended.
            await Task.Delay(300, CancellationToken.None);
        }
        await stopRendering.CancelAsync();
        try
        {
            await rendering;
        }
        catch (OperationCanceledException)
        {
        }
        if (problem is not null && !cancellationToken.IsCancellationRequested)
        {
            await InvokeAsync(() =>
            {
                _problem = problem;
                StateHasChanged();
            });
        }
    }

    private async Task StopFollowingAsync()
    {
        if (_following is null)
        {
            return;
        }
        await _following.CancelAsync();
        await _followLoop;
        _following.Dispose();
        _following = null;
    }

    public async ValueTask DisposeAsync() => await StopFollowingAsync();
}
