using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Web.Access;

namespace MultiCluster.Web.Components.Pages.Access;

/// <summary>The "Can this person" tab: the form, and the clusters' answers from <see cref="CanIReviews"/>.</summary>
public sealed partial class CanIPanel : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private IReadOnlyList<string> _people = [];
    private string _user = "";
    private string _verb = "get";
    private string _resource = "pods/log";
    private string _namespace = "";
    private string _clusters = "";
    private bool _busy;
    private string? _problem;
    private CanIAnswer? _answer;

    [Inject]
    private CanIReviews Reviews { get; set; } = default!;

    [Parameter, EditorRequired]
    public AccessPermissions Permissions { get; set; } = default!;

    protected override async Task OnInitializedAsync() => _people = await Reviews.PeopleAsync(_stopping.Token);

    private async Task AskAsync()
    {
        _busy = true;
        _problem = null;
        try
        {
            var clusters = _clusters.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var result = await Reviews.AskAsync(Permissions.User, new CanIRequest(_user, _verb, _resource, _namespace, clusters), _stopping.Token);
            (_answer, _problem) = (result.Answer, result.Problem);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            _busy = false;
        }
    }

    private static Color ColorOf(CanIClusterAnswer row) => row.Allowed switch { true => Color.Success, false => Color.Default, null => Color.Error };

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
