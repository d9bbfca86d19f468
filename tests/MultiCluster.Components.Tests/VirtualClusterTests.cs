using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Fleet;
using MultiCluster.Web.VirtualClusters;

namespace MultiCluster.Components.Tests;

/// <summary>
/// The Virtual clusters page over a real registry (SQLite), store and <see cref="VirtualClusterService"/>: the hosts and
/// their vClusters are what the tests put in the store, as the informers would. The hosts are not in the registry, so
/// anything that would reach a host is answered as for a cluster that is gone.
/// </summary>
public abstract class VirtualClusterTestContext : QuotaTestContext
{
    protected VirtualClusterTestContext() => Popovers = Render<MudPopoverProvider>();

    protected IRenderedComponent<MudPopoverProvider> Popovers { get; }

    protected VirtualClusterService Service => field ??= ActivatorUtilities.CreateInstance<VirtualClusterService>(Registry, Visibility,
        ActivatorUtilities.CreateInstance<ClusterClients>(Registry, Visibility), Options.Create(new VirtualClusterOptions()),
        ActivatorUtilities.CreateInstance<VirtualClusterIsolations>(Registry, new MultiCluster.Kubernetes.Reconcile.VirtualClusterIsolationSource()));

    /// <summary>The dialog provider, for the create, delete and pause dialogs; render it before the page.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs() => Render<MudDialogProvider>();

    protected IRenderedComponent<MudSnackbarProvider> Snackbars() => Render<MudSnackbarProvider>();

    /// <summary>A vCluster's StatefulSet as the host's informer reports it, with its pod when it has a status.</summary>
    protected void VirtualCluster(string host, string name, string? ns = null, bool paused = false, string? podStatus = null, bool nonDeletable = false, TimeSpan? age = null)
    {
        ns ??= VirtualClusterNames.DefaultNamespace(name);
        var created = DateTimeOffset.UtcNow - (age ?? TimeSpan.FromMinutes(5));
        Store.Apply(
        [
            FleetChange.Upsert(new VirtualClusterSummary
            {
                Cluster = host, Namespace = ns, Name = name, Replicas = paused ? 0 : 1, ReadyReplicas = podStatus == "Running" ? 1 : 0, Version = VirtualClusterSpec.DefaultRelease,
                Paused = paused, PausedAt = paused ? DateTimeOffset.UtcNow.AddMinutes(-3) : null, PausedReplicas = paused ? 1 : null, NonDeletable = nonDeletable, CreatedAt = created,
            }),
            .. podStatus is null ? Array.Empty<FleetChange>() : [FleetChange.Upsert(new PodSummary { Cluster = host, Namespace = ns, Name = name + "-0", Status = podStatus })],
        ]);
    }

    /// <summary>The cluster a vCluster is registered as, with the labels the service gives it.</summary>
    protected void Registered(string cluster, string host, string ns, string name, ClusterHealth health = ClusterHealth.Synced) =>
        Store.Apply(FleetChange.Upsert(new ClusterSummary
        {
            Cluster = cluster, DisplayName = $"{name} (vCluster on {host})", Health = health, Labels = VirtualClusterLabels.For(host, ns, name),
        }));

    protected override void AddServices(IServiceCollection services)
    {
        base.AddServices(services);
        services.AddSingleton(_ => Service);
    }
}
