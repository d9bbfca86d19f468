using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;

namespace MultiCluster.Web.Components.Pages;

public sealed partial class SectionPlaceholder : IDisposable
{
    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private DashboardSection Section =>
        DashboardSections.ForPath(Navigation.ToBaseRelativePath(Navigation.Uri).Split('?', '#')[0]) ?? DashboardSections.All[0];

    // One component serves several routes, so moving between them changes no parameter; follow the location instead.
    protected override void OnInitialized() => Navigation.LocationChanged += OnLocationChanged;

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(StateHasChanged);

    public void Dispose() => Navigation.LocationChanged -= OnLocationChanged;
}
