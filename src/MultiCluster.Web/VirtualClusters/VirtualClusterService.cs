using System.Security.Claims;
using Microsoft.Extensions.Options;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.VirtualClusters;
using MultiCluster.Web.Access;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Fleet;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.VirtualClusters;

/// <summary>Why a vCluster action was not done; the API answers 400, 403, 404, 409 or 503 by it.</summary>
public enum VirtualClusterRefusal
{
    Invalid,
    Forbidden,
    NotFound,
    Conflict,
    Unavailable,
}

/// <summary>How a vCluster action went: done (with the registered cluster's name, for a create), or why not in plain words.</summary>
public sealed record VirtualClusterOutcome(string? Problem, VirtualClusterRefusal Refusal = VirtualClusterRefusal.Invalid, string? Cluster = null)
{
    public bool Succeeded => Problem is null;

    public static VirtualClusterOutcome Done(string? cluster = null) => new(null, Cluster: cluster);
}

/// <summary>
/// The vCluster lifecycle for people: create (with isolation, progress and rollback), register as a cluster, pause and
/// resume as the vcluster CLI does, delete, connect. Host writes go as the person (impersonated), so the host's RBAC
/// decides too; the dashboard's own roles decide first (<see cref="DashboardActions.ManageVirtualClusters"/>,
/// <see cref="DashboardActions.ConnectVirtualClusters"/>, per host). Every change is audited.
/// </summary>
public sealed class VirtualClusterService(
    ClusterVisibility visibility,
    ClusterClients clients,
    ClusterRegistry registry,
    VirtualClusterIsolations isolations,
    AddressGuard addresses,
    AuditLog audit,
    TimeProvider time,
    IOptions<VirtualClusterOptions> options)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public IReadOnlyList<VirtualClusterRow> List(ClaimsPrincipal user) => VirtualClusterView.Rows(visibility.For(user));

    public VirtualClusterRow? Find(ClaimsPrincipal user, string host, string ns, string name) => VirtualClusterView.Find(visibility.For(user), host, ns, name);

    /// <summary>
    /// Checks <paramref name="spec"/> against the host (reachable, name free, namespace free of other vClusters, the host's
    /// limit and capacity), creates every object, waits until the vCluster answers through its own API, and registers it.
    /// Any failure removes what was created.
    /// </summary>
    public async Task<VirtualClusterOutcome> CreateAsync(ClaimsPrincipal user, VirtualClusterSpec spec, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var visible = visibility.For(user);
        var ns = spec.EffectiveNamespace;
        var refused = Refuse(visible, DashboardActions.ManageVirtualClusters, spec.Host, "create vClusters")
            ?? (VirtualClusterValidation.Validate(spec) is { Count: > 0 } problems ? new VirtualClusterOutcome(string.Join(" ", problems)) : null)
            ?? HostProblem(visible, spec);
        string? clusterName = null;
        if (refused is null)
        {
            clusterName = await RegisteredNameAsync(spec, cancellationToken);
            refused = clusterName is null ? new VirtualClusterOutcome($"Clusters named {spec.Name} and {spec.Name}-{spec.Host} are both registered already: choose another name.", VirtualClusterRefusal.Conflict) : null;
        }
        if (refused is not null)
        {
            await AuditAsync(user, VirtualClusterAuditActions.Create, spec.Host, ns, spec.Name, AuditOutcome.Failed, refused.Problem);
            return refused;
        }
        using var person = await clients.OpenForAsync(visible, spec.Host, cancellationToken);
        if (person is null)
        {
            return new VirtualClusterOutcome($"No cluster named {spec.Host} is registered.", VirtualClusterRefusal.NotFound);
        }
        var createNamespace = visible.Get<NamespaceSummary>(FleetKind.Namespace, spec.Host, ns) is null;
        // The isolation is kept by the engine, as the dashboard: the tenant, who may write in the namespace, cannot lift it.
        if (spec.Isolation && !await isolations.AddAsync(VirtualClusterIsolationSpec.Of(spec), cancellationToken))
        {
            var stale = $"The dashboard already keeps isolation for a vCluster named {spec.Name} on {spec.Host}: delete that vCluster first.";
            await AuditAsync(user, VirtualClusterAuditActions.Create, spec.Host, ns, spec.Name, AuditOutcome.Failed, stale);
            return new VirtualClusterOutcome(stale, VirtualClusterRefusal.Conflict);
        }
        progress?.Report(createNamespace ? $"Creating namespace {ns} on {spec.Host}…" : $"Creating vCluster {spec.Name} in the existing namespace {ns}…");
        try
        {
            await VirtualClusterLifecycle.CreateAsync(person.Kubernetes, spec, createNamespace, progress, cancellationToken);
        }
        catch (VirtualClusterException ex)
        {
            await isolations.RemoveAsync(spec.Host, spec.Name, CancellationToken.None);
            var words = person.Refusal(ex.InnerException ?? ex, $"creating vCluster {spec.Name} in {ns}") is { } refusal ? $"{refusal} {ex.Message}" : ex.Message;
            await AuditAsync(user, VirtualClusterAuditActions.Create, spec.Host, ns, spec.Name, AuditOutcome.Failed, words);
            return new VirtualClusterOutcome(words, RefusalOf(ex.InnerException, VirtualClusterRefusal.Conflict));
        }
        VirtualClusterOutcome registered;
        try
        {
            registered = spec.Isolation ? await WaitForIsolationAsync(user, spec.Host, ns, spec.Name, progress, cancellationToken) : VirtualClusterOutcome.Done();
            if (registered.Succeeded)
            {
                registered = await WaitAndRegisterAsync(user, person.Kubernetes, spec.Host, ns, spec.Name, clusterName!, spec.Labels, progress, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            registered = new VirtualClusterOutcome($"Stopped before vCluster {spec.Name} answered.", VirtualClusterRefusal.Conflict);
        }
        if (!registered.Succeeded)
        {
            progress?.Report("Removing what was created…");
            await isolations.RemoveAsync(spec.Host, spec.Name, CancellationToken.None);
            string removed;
            try
            {
                var plan = await VirtualClusterLifecycle.PlanDeletionAsync(person.Kubernetes, spec.Name, ns, CancellationToken.None);
                await VirtualClusterLifecycle.DeleteAsync(person.Kubernetes, plan with { DeleteNamespace = createNamespace }, CancellationToken.None);
                removed = $"What was created on {spec.Host} has been removed.";
            }
            catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
            {
                removed = $"Removing what was created on {spec.Host} failed ({ex.Message}): it shows on the Virtual clusters page, delete it there.";
            }
            var words = $"{registered.Problem} {removed}";
            await AuditAsync(user, VirtualClusterAuditActions.Create, spec.Host, ns, spec.Name, AuditOutcome.Failed, words);
            return registered with { Problem = words };
        }
        await AuditAsync(user, VirtualClusterAuditActions.Create, spec.Host, ns, spec.Name, AuditOutcome.Succeeded,
            $"Kubernetes {spec.KubernetesVersion}, isolation {(spec.Isolation ? "on" : "off")}{(spec.Isolation && spec.NetworkIsolation ? " with network policies" : "")}; registered as cluster {registered.Cluster}");
        progress?.Report($"vCluster {spec.Name} runs and is registered as cluster {registered.Cluster}.");
        return registered;
    }

    /// <summary>Registers a vCluster that already runs (made by the vcluster CLI, say) as a cluster, so it is watched.</summary>
    public async Task<VirtualClusterOutcome> ManageAsync(ClaimsPrincipal user, string host, string ns, string name, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        var outcome = await TryManageAsync(user, host, ns, name, labels, cancellationToken);
        await AuditAsync(user, VirtualClusterAuditActions.Manage, host, ns, name, outcome.Succeeded ? AuditOutcome.Succeeded : AuditOutcome.Failed, outcome.Problem ?? $"registered as cluster {outcome.Cluster}");
        return outcome;
    }

    private async Task<VirtualClusterOutcome> TryManageAsync(ClaimsPrincipal user, string host, string ns, string name, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        var visible = visibility.For(user);
        if (Refuse(visible, DashboardActions.ManageVirtualClusters, host, "manage vClusters") is { } refused)
        {
            return refused;
        }
        if (VirtualClusterView.Find(visible, host, ns, name) is not { } row)
        {
            return NotFound(host, ns, name);
        }
        if (row.Paused)
        {
            return new VirtualClusterOutcome($"vCluster {name} is paused: resume it first, then register it.", VirtualClusterRefusal.Conflict);
        }
        // The registry, not what the person sees: a registration they may not see still counts (and is not named to them).
        var already = row.RegisteredAs ?? (await registry.ListAsync(cancellationToken)).FirstOrDefault(c => VirtualClusterLabels.HostOf(c.Labels) == (host, ns, name))?.Name;
        if (already is not null)
        {
            return new VirtualClusterOutcome(visible.CanSee(already) ? $"vCluster {name} is already registered as cluster {already}." : $"vCluster {name} is already registered.", VirtualClusterRefusal.Conflict);
        }
        var clusterName = await RegisteredNameAsync(new VirtualClusterSpec { Host = host, Name = name }, cancellationToken);
        using var person = await clients.OpenForAsync(visible, host, cancellationToken);
        if (person is null || clusterName is null)
        {
            return new VirtualClusterOutcome($"vCluster {name} cannot be registered: no free cluster name ({name}, {name}-{host}).", VirtualClusterRefusal.Conflict);
        }
        return await WaitAndRegisterAsync(user, person.Kubernetes, host, ns, name, clusterName, labels ?? new Dictionary<string, string>(), null, cancellationToken);
    }

    public Task<VirtualClusterOutcome> PauseAsync(ClaimsPrincipal user, string host, string ns, string name, CancellationToken cancellationToken = default) =>
        ChangeAsync(user, host, ns, name, VirtualClusterAuditActions.Pause, "pause", async (client, row) =>
        {
            if (row.Paused)
            {
                return new VirtualClusterOutcome($"vCluster {name} is already paused.", VirtualClusterRefusal.Conflict);
            }
            await VirtualClusterLifecycle.PauseAsync(client, Summary(row, visibility.For(user)), time.GetUtcNow(), cancellationToken);
            return VirtualClusterOutcome.Done(row.RegisteredAs);
        });

    public Task<VirtualClusterOutcome> ResumeAsync(ClaimsPrincipal user, string host, string ns, string name, CancellationToken cancellationToken = default) =>
        ChangeAsync(user, host, ns, name, VirtualClusterAuditActions.Resume, "resume", async (client, row) =>
        {
            if (!row.Paused)
            {
                return new VirtualClusterOutcome($"vCluster {name} is not paused.", VirtualClusterRefusal.Conflict);
            }
            await VirtualClusterLifecycle.ResumeAsync(client, Summary(row, visibility.For(user)), cancellationToken);
            return VirtualClusterOutcome.Done(row.RegisteredAs);
        });

    /// <summary>What deleting the vCluster would remove, for the confirmation; or why it may not be deleted.</summary>
    public async Task<(DeletionPlan? Plan, VirtualClusterOutcome? Refused)> PlanDeletionAsync(ClaimsPrincipal user, string host, string ns, string name, CancellationToken cancellationToken = default)
    {
        var visible = visibility.For(user);
        if (Refuse(visible, DashboardActions.ManageVirtualClusters, host, "delete vClusters") is { } refused)
        {
            return (null, refused);
        }
        if (VirtualClusterView.Find(visible, host, ns, name) is not { } row)
        {
            return (null, NotFound(host, ns, name));
        }
        if (row.NonDeletable)
        {
            return (null, new VirtualClusterOutcome($"vCluster {name} is marked {VirtualClusterNames.NonDeletableAnnotation}=true on {host}: remove that annotation first.", VirtualClusterRefusal.Conflict));
        }
        using var person = await clients.OpenForAsync(visible, host, cancellationToken);
        if (person is null)
        {
            return (null, NotFound(host, ns, name));
        }
        try
        {
            var plan = await VirtualClusterLifecycle.PlanDeletionAsync(person.Kubernetes, name, ns, cancellationToken);
            return (await isolations.FindAsync(host, name, cancellationToken) is null ? plan
                : plan with { KeptByDashboard = [$"ResourceQuota and LimitRange {VirtualClusterNames.Isolation(name)} (the isolation the dashboard keeps)"] }, null);
        }
        catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            return (null, new VirtualClusterOutcome(person.Refusal(ex, $"listing what vCluster {name} has in {ns}") ?? ConnectionTester.Explain(ex, new Uri("https://" + host)) ?? ex.Message, VirtualClusterRefusal.Unavailable));
        }
    }

    /// <summary>Deletes the vCluster's host objects (what <see cref="PlanDeletionAsync"/> lists) and unregisters its cluster.</summary>
    public Task<VirtualClusterOutcome> DeleteAsync(ClaimsPrincipal user, string host, string ns, string name, CancellationToken cancellationToken = default) =>
        ChangeAsync(user, host, ns, name, VirtualClusterAuditActions.Delete, "delete", async (client, row) =>
        {
            var (plan, refused) = await PlanDeletionAsync(user, host, ns, name, cancellationToken);
            if (refused is not null)
            {
                return refused;
            }
            // From here on the delete runs to its end: a closed page or an aborted request must not leave half of it.
            // The registration goes first: a vCluster left on the host can be registered again, a registration of nothing cannot be used.
            var registered = (await registry.ListAsync(CancellationToken.None)).Where(c => VirtualClusterLabels.HostOf(c.Labels) == (host, ns, name)).Select(c => c.Name).ToList();
            foreach (var cluster in registered)
            {
                await registry.RemoveAsync(user, cluster, CancellationToken.None, authorized: true);
            }
            await isolations.RemoveAsync(host, name, CancellationToken.None);
            await VirtualClusterLifecycle.DeleteAsync(client, plan!, CancellationToken.None);
            return VirtualClusterOutcome.Done(registered.FirstOrDefault());
        });

    /// <summary>A kubeconfig for the vCluster (context <c>vcluster_&lt;name&gt;_&lt;namespace&gt;_&lt;host&gt;</c>), read from its Secret as the person.</summary>
    public async Task<(string? Kubeconfig, VirtualClusterOutcome? Refused)> KubeconfigAsync(ClaimsPrincipal user, string host, string ns, string name, CancellationToken cancellationToken = default)
    {
        var visible = visibility.For(user);
        VirtualClusterOutcome? refused = Refuse(visible, DashboardActions.ConnectVirtualClusters, host, "connect to vClusters")
            ?? (VirtualClusterView.Find(visible, host, ns, name) is null ? NotFound(host, ns, name) : null);
        string? kubeconfig = null;
        if (refused is null)
        {
            using var person = await clients.OpenForAsync(visible, host, cancellationToken);
            try
            {
                var connection = person is null ? null : await VirtualClusterLifecycle.ReadConnectionAsync(person.Kubernetes, name, ns, InsideHost(host), user.May(DashboardActions.ManageClusters), cancellationToken);
                kubeconfig = connection is null ? null : VirtualClusterLifecycle.Kubeconfig(connection, name, ns, host);
                refused = kubeconfig is null ? new VirtualClusterOutcome($"vCluster {name} has not written its kubeconfig Secret {VirtualClusterNames.KubeconfigSecret(name)} yet: is it running?", VirtualClusterRefusal.Conflict) : null;
            }
            catch (VirtualClusterException ex)
            {
                refused = new VirtualClusterOutcome(ex.Message, VirtualClusterRefusal.Conflict);
            }
            catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                refused = new VirtualClusterOutcome(person!.Refusal(ex, $"reading the kubeconfig Secret of vCluster {name} in {ns}") ?? ex.Message,
                    RefusalOf(ex, VirtualClusterRefusal.Unavailable));
            }
        }
        await AuditAsync(user, VirtualClusterAuditActions.Connect, host, ns, name, refused is null ? AuditOutcome.Succeeded : AuditOutcome.Failed, refused?.Problem ?? "kubeconfig downloaded");
        return (kubeconfig, refused);
    }

    private async Task<VirtualClusterOutcome> ChangeAsync(ClaimsPrincipal user, string host, string ns, string name, string action, string verb,
        Func<k8s.IKubernetes, VirtualClusterRow, Task<VirtualClusterOutcome>> change)
    {
        var visible = visibility.For(user);
        var outcome = Refuse(visible, DashboardActions.ManageVirtualClusters, host, $"{verb} vClusters");
        if (outcome is null)
        {
            if (VirtualClusterView.Find(visible, host, ns, name) is not { } row)
            {
                outcome = NotFound(host, ns, name);
            }
            else
            {
                using var person = await clients.OpenForAsync(visible, host);
                try
                {
                    outcome = person is null ? NotFound(host, ns, name) : await change(person.Kubernetes, row);
                }
                catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException)
                {
                    outcome = new VirtualClusterOutcome(person!.Refusal(ex, $"{verb} vCluster {name} in {ns}")
                        ?? (ex is k8s.Autorest.HttpOperationException http ? $"{host} refused to {verb} vCluster {name}: {Kubernetes.Reconcile.KubernetesStatus.MessageOf(http)}" : $"{host} could not be reached: {ex.Message}"),
                        RefusalOf(ex, VirtualClusterRefusal.Unavailable));
                }
            }
        }
        await AuditAsync(user, action, host, ns, name, outcome.Succeeded ? AuditOutcome.Succeeded : AuditOutcome.Failed, outcome.Problem);
        return outcome;
    }

    /// <summary>Waits until the engine has written the vCluster's quota and limit range (InSync); their Conflict or Error ends the create.</summary>
    private async Task<VirtualClusterOutcome> WaitForIsolationAsync(ClaimsPrincipal user, string host, string ns, string name, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(options.Value.StartTimeoutSeconds);
        progress?.Report($"Waiting for the dashboard to write the isolation around {name} (ResourceQuota and LimitRange {VirtualClusterNames.Isolation(name)})…");
        while (true)
        {
            var target = visibility.For(user).Get<Core.Reconcile.PolicyTarget>(FleetKind.PolicyTarget, host, Core.Reconcile.PolicyTarget.KeyOf(VirtualClusterIsolationPlanner.OwnerKind, name, ns));
            switch (target?.Status)
            {
                case Core.Reconcile.TargetStatus.InSync:
                    progress?.Report($"Isolation in place: ResourceQuota and LimitRange {VirtualClusterNames.Isolation(name)}.");
                    return VirtualClusterOutcome.Done();
                case Core.Reconcile.TargetStatus.Conflict or Core.Reconcile.TargetStatus.Error:
                    return new VirtualClusterOutcome($"The isolation of {name} could not be written ({target.Status}): {target.Message}", VirtualClusterRefusal.Conflict);
            }
            if (time.GetUtcNow() >= deadline)
            {
                return new VirtualClusterOutcome($"The isolation of {name} was not in place within {options.Value.StartTimeoutSeconds} s ({target?.Status.ToString() ?? "not planned yet"}).", VirtualClusterRefusal.Unavailable);
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Waits until the vCluster wrote its kubeconfig Secret and answers through its own API, then registers it.</summary>
    private async Task<VirtualClusterOutcome> WaitAndRegisterAsync(ClaimsPrincipal user, k8s.IKubernetes client, string host, string ns, string name, string clusterName,
        IReadOnlyDictionary<string, string> labels, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(options.Value.StartTimeoutSeconds);
        string? last = null;
        while (true)
        {
            string? waiting;
            try
            {
                var connection = await VirtualClusterLifecycle.ReadConnectionAsync(client, name, ns, InsideHost(host), user.May(DashboardActions.ManageClusters), cancellationToken);
                if (connection is null)
                {
                    var pod = visibility.For(user).Get<PodSummary>(FleetKind.Pod, host, FleetKeys.Of(ns, name + "-0"));
                    waiting = $"Waiting for vCluster {name} to start (pod {name}-0: {pod?.Status ?? "not created yet"})…";
                }
                else
                {
                    var test = await ConnectionTester.TestAsync(connection.Server, connection.Credentials, addresses, cancellationToken);
                    if (test.Succeeded)
                    {
                        progress?.Report($"vCluster {name} answers at {connection.Server} (Kubernetes {test.KubernetesVersion}); registering it as cluster {clusterName}…");
                        var registration = new ClusterRegistration(clusterName, $"{name} (vCluster on {host})", connection.Server, connection.Credentials, VirtualClusterLabels.For(host, ns, name, labels));
                        var outcome = await registry.RegisterAsync(user, [registration], cancellationToken, authorized: true);
                        return outcome.Succeeded
                            ? VirtualClusterOutcome.Done(clusterName)
                            : new VirtualClusterOutcome($"vCluster {name} runs but could not be registered: {outcome.Results.FirstOrDefault()?.Problem}", VirtualClusterRefusal.Conflict);
                    }
                    waiting = $"Waiting for vCluster {name} to answer at {connection.Server}: {test.Problem}";
                }
            }
            catch (VirtualClusterException ex)
            {
                return new VirtualClusterOutcome(ex.Message, VirtualClusterRefusal.Conflict);
            }
            catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                waiting = $"Waiting for vCluster {name}: {ex.Message}";
            }
            if (waiting != last)
            {
                progress?.Report(waiting);
                last = waiting;
            }
            if (time.GetUtcNow() >= deadline)
            {
                return new VirtualClusterOutcome($"vCluster {name} did not answer within {options.Value.StartTimeoutSeconds} s. Last seen: {waiting}", VirtualClusterRefusal.Unavailable);
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>The host must answer, hold no vCluster of this name nor any in the namespace, stay under its limit and have room for the quota.</summary>
    private VirtualClusterOutcome? HostProblem(VisibleClusters visible, VirtualClusterSpec spec)
    {
        if (visible.Cluster(spec.Host) is not { } host)
        {
            return new VirtualClusterOutcome($"No cluster named {spec.Host} is registered.", VirtualClusterRefusal.NotFound);
        }
        if (VirtualClusterLabels.HostOf(host.Labels) is { } parent)
        {
            return new VirtualClusterOutcome($"{spec.Host} is itself a vCluster (on {parent.Host}): create vClusters on {parent.Host} instead.", VirtualClusterRefusal.Invalid);
        }
        if (host.Health is not (ClusterHealth.Synced or ClusterHealth.Degraded))
        {
            return new VirtualClusterOutcome($"{spec.Host} is {host.Health}{(host.Problem is { } problem ? $": {problem}" : "")}. A vCluster is created on a host that answers.", VirtualClusterRefusal.Unavailable);
        }
        var existing = visible.All<VirtualClusterSummary>(FleetKind.VirtualCluster, spec.Host).ToList();
        var ns = spec.EffectiveNamespace;
        if (existing.FirstOrDefault(v => v.Name == spec.Name) is { } same)
        {
            return new VirtualClusterOutcome($"A vCluster named {spec.Name} already runs on {spec.Host} (namespace {same.Namespace}).", VirtualClusterRefusal.Conflict);
        }
        if (existing.FirstOrDefault(v => v.Namespace == ns) is { } occupant)
        {
            return new VirtualClusterOutcome($"Namespace {ns} on {spec.Host} already holds vCluster {occupant.Name}: one vCluster per namespace.", VirtualClusterRefusal.Conflict);
        }
        if (existing.Count >= options.Value.MaxPerHost)
        {
            return new VirtualClusterOutcome($"{spec.Host} carries {existing.Count} vClusters, its limit ({VirtualClusterOptions.Section}:{nameof(VirtualClusterOptions.MaxPerHost)} = {options.Value.MaxPerHost}).", VirtualClusterRefusal.Conflict);
        }
        var overview = visible.Overview(host);
        var (cpu, memory) = spec.RequestedCapacity;
        var freeCpu = (overview.CpuAllocatableMillis - overview.CpuRequestedMillis) / 1000m;
        var freeMemory = overview.MemoryAllocatableBytes - overview.MemoryRequestedBytes;
        if (cpu > freeCpu || memory > freeMemory)
        {
            return new VirtualClusterOutcome(
                $"{spec.Host} has room for {freeCpu:0.##} CPU and {Quantities.FormatBytes(freeMemory)} of memory (allocatable minus requested), " +
                $"but the vCluster's quota lets it request {cpu:0.##} CPU and {Quantities.FormatBytes((long)memory)}: lower requests.cpu or requests.memory, or pick another host.",
                VirtualClusterRefusal.Conflict);
        }
        return null;
    }

    /// <summary>The vCluster's name as a cluster name if free, else <c>&lt;name&gt;-&lt;host&gt;</c>; null when both are taken.</summary>
    private async Task<string?> RegisteredNameAsync(VirtualClusterSpec spec, CancellationToken cancellationToken)
    {
        var taken = (await registry.ListAsync(cancellationToken)).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var longer = $"{spec.Name}-{spec.Host}";
        return !taken.Contains(spec.Name) ? spec.Name
            : ClusterName.IsValid(longer) && !taken.Contains(longer) ? longer
            : null;
    }

    private static VirtualClusterOutcome? Refuse(VisibleClusters visible, string action, string host, string what) =>
        !visible.CanSee(host) ? new VirtualClusterOutcome($"No cluster named {host} is registered.", VirtualClusterRefusal.NotFound)
        : visible.Refusal(action, host, what) is { } refusal ? new VirtualClusterOutcome(refusal, VirtualClusterRefusal.Forbidden)
        : null;

    /// <summary>A host's 403 is the person's access falling short; anything else is <paramref name="otherwise"/>.</summary>
    private static VirtualClusterRefusal RefusalOf(Exception? ex, VirtualClusterRefusal otherwise) =>
        ex is k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Forbidden } ? VirtualClusterRefusal.Forbidden : otherwise;

    private static VirtualClusterOutcome NotFound(string host, string ns, string name) =>
        new($"No vCluster named {name} runs in namespace {ns} of {host}.", VirtualClusterRefusal.NotFound);

    private bool InsideHost(string host) => options.Value.InsideHosts.Contains(host, StringComparer.Ordinal);

    private static VirtualClusterSummary Summary(VirtualClusterRow row, VisibleClusters visible) =>
        visible.Get<VirtualClusterSummary>(FleetKind.VirtualCluster, row.Host, FleetKeys.Of(row.Namespace, row.Name))
        ?? new VirtualClusterSummary { Cluster = row.Host, Namespace = row.Namespace, Name = row.Name, Workload = row.Workload, Replicas = 1, Paused = row.Paused };

    private Task AuditAsync(ClaimsPrincipal user, string action, string host, string ns, string name, AuditOutcome outcome, string? detail) =>
        audit.RecordAsync(AuditLog.ActorOf(user), action, VirtualClusterAuditActions.Target(host, ns, name), outcome, detail);
}

public static class VirtualClusterAuditActions
{
    public const string Create = "vcluster.create";
    public const string Manage = "vcluster.manage";
    public const string Pause = "vcluster.pause";
    public const string Resume = "vcluster.resume";
    public const string Delete = "vcluster.delete";
    public const string Connect = "vcluster.connect";

    public static string Target(string host, string ns, string name) => $"vcluster/{host}/{ns}/{name}";
}
