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

    // An outage is logged once, by the probe, not once per page that ran into it.
    protected override Task OnErrorAsync(Exception exception)
    {
        _outage = RegistryOutage.Explains(exception, Availability);
        return _outage ? Task.CompletedTask : base.OnErrorAsync(exception);
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (CurrentException is null)
        {
            builder.AddContent(0, ChildContent);
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
