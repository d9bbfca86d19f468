using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;
using MultiCluster.Data;
using MultiCluster.Web.Health;

namespace MultiCluster.Web.Components.Layout;

/// <summary>
/// Around each page: when the page fails because the registry does not answer, the sentence shows in its place and the
/// circuit (the navigation, the banner, live state on the next page) goes on; once the registry answers again the page
/// comes back by itself. A page that fails for another reason says so in its place too (the error goes to the log, as
/// Blazor's own boundary logs it), and comes back on navigation.
/// </summary>
public sealed class RegistryErrorBoundary : Microsoft.AspNetCore.Components.Web.ErrorBoundary, IDisposable
{
    private bool _outage;

    [Inject]
    private RegistryAvailability Availability { get; set; } = default!;

    protected override void OnInitialized() => Availability.Changed += OnAvailabilityChanged;

    // A new page (navigation) starts afresh.
    protected override void OnParametersSet() => Recover();

    /// <summary>
    /// Around the dialog provider rather than a page: a dialog that fails closes, the sentence shows as a message in the
    /// corner, and dialogs open again at once (the page under it stays as it was).
    /// </summary>
    [Parameter]
    public bool AroundDialogs { get; set; }

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    // An outage is logged once, by the probe, not once per page that ran into it.
    protected override async Task OnErrorAsync(Exception exception)
    {
        _outage = RegistryOutage.Explains(exception, Availability);
        if (!_outage)
        {
            await base.OnErrorAsync(exception);
        }
        if (AroundDialogs)
        {
            Snackbar.Add(_outage
                ? "The registry database does not answer, so nothing was changed; try again once the banner is gone."
                : "That failed; what went wrong is in the dashboard's log.", _outage ? Severity.Warning : Severity.Error);
        }
    }

    // The failed dialog is gone once the empty error state has rendered; the provider comes back for the next one.
    protected override void OnAfterRender(bool firstRender)
    {
        if (AroundDialogs && CurrentException is not null)
        {
            Recover();
        }
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (CurrentException is null)
        {
            builder.AddContent(0, ChildContent);
            return;
        }
        if (AroundDialogs)
        {
            return;
        }
        builder.OpenComponent<MudAlert>(1);
        builder.AddComponentParameter(2, nameof(MudAlert.Severity), _outage ? Severity.Warning : Severity.Error);
        builder.AddAttribute(3, "data-testid", _outage ? "page-registry-outage" : "page-failed");
        builder.AddAttribute(4, "role", "alert");
        builder.AddComponentParameter(5, nameof(MudAlert.ChildContent), (RenderFragment)(text => text.AddContent(0, _outage
            ? "This page needs the registry database, which does not answer; it comes back by itself once the database answers again."
            : "This page failed; what went wrong is in the dashboard's log. Reload the page, or go on to another.")));
        builder.CloseComponent();
    }

    private void OnAvailabilityChanged()
    {
        if (_outage && Availability.IsReachable)
        {
            _ = InvokeAsync(Recover);
        }
    }

    public void Dispose() => Availability.Changed -= OnAvailabilityChanged;
}
