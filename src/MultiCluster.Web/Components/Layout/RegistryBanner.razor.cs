using Microsoft.AspNetCore.Components;
using MultiCluster.Data;

namespace MultiCluster.Web.Components.Layout;

/// <summary>Says, on every page, that the registry database does not answer; comes and goes by itself, live.</summary>
public sealed partial class RegistryBanner
{
    [Inject]
    private RegistryAvailability Availability { get; set; } = default!;

    protected override void OnInitialized() => Availability.Changed += OnChanged;

    private void OnChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose() => Availability.Changed -= OnChanged;
}
