using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Bunit.TestDoubles;
using MudBlazor.Services;

namespace MultiCluster.Components.Tests;

/// <summary>A bUnit context with MudBlazor's services; JavaScript calls are recorded, not run.</summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    protected DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        // A loaded machine (two cores running several test projects) can take more than bUnit's default second to
        // render a live change; a wrong page still fails, only later.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        Services.AddMudServices();
        // The layout's live parts (the triage counter) follow the fleet store; pages' tests register their own.
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(_ => new MultiCluster.Kubernetes.Fleet.FleetStateStore(TimeProvider.System));
        // Which clusters the signed-in user sees: every one with a fleet-wide role, their teams' otherwise.
        Services.AddSingleton(_ => new MultiCluster.Kubernetes.Reconcile.AccessSource(new MultiCluster.Core.Access.AccessOptions()));
        Services.AddSingleton<MultiCluster.Web.Access.ClusterVisibility>();
        // The layout's banner and each page's error boundary follow whether the registry answers.
        Services.AddSingleton(sp => new MultiCluster.Data.RegistryAvailability(sp.GetRequiredService<TimeProvider>()));
        Authorization = AddAuthorization();
        Authorization.SetAuthorized("admin");
        AddServices(Services);
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Signed in as "admin" unless a test says otherwise.</summary>
    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Gives the signed-in user <paramref name="role"/> and the actions the dashboard's table allows it, as the app would.</summary>
    protected void SignInAs(string role)
    {
        Authorization.SetRoles(role);
        Authorization.SetPolicies([.. MultiCluster.Web.Identity.DashboardActions.Roles.Where(a => a.Value.Count == 0 || a.Value.Contains(role)).Select(a => a.Key)]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Services a test class needs; runs before anything is rendered (field initializers have run by then).</summary>
    protected virtual void AddServices(IServiceCollection services)
    {
    }

    // Some MudBlazor services are only IAsyncDisposable, so the container must be disposed asynchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
