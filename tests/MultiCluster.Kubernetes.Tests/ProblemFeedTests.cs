using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;
using MultiCluster.Kubernetes.Triage;
using MultiCluster.Simulator.Faults;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The triage feed over a simulated cluster that breaks the way real ones do.</summary>
public sealed class ProblemFeedTests : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private SimulatedTriage _triage = default!;

    private SimulatedCluster Cluster => _triage.Cluster;

    private IReadOnlyList<ProblemGroup> Rows => _triage.Rows;

    public async Task InitializeAsync() => _triage = await SimulatedTriage.StartAsync("delta", nodes: 3, pods: 12);

    public async Task DisposeAsync() => await _triage.DisposeAsync();

    [Fact]
    public async Task A_crash_looping_Deployment_is_one_critical_row_and_clears_when_fixed()
    {
        using var client = new k8s.Kubernetes(Cluster.CreateClientConfiguration());
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("checkout", replicas: 4, FaultAnnotations.CrashLoopBackOff), "default");

        // How fast the row comes is the triage benchmark's figure (problem-row p99), not a wall-clock bound here.
        await Eventually.WaitForAsync(() => CrashLoopingPods("checkout") > 0, Settle, "a crash-looping pod of checkout in the store");
        await Eventually.WaitForAsync(() => Rows.Any(r => r.Owner == "Deployment/checkout"), Settle, "the checkout row");

        await Eventually.WaitForAsync(() => Rows.SingleOrDefault(r => r.Owner == "Deployment/checkout")?.Count == 4, Settle, "all four replicas in one row");
        var row = Assert.Single(Rows, r => r.Owner == "Deployment/checkout");
        Assert.Equal((Severity.Critical, "CrashLoopBackOff", "Pod", "default", "checkout"), (row.Severity, row.Reason, row.ObjectKind, row.Namespace, row.Name));
        Assert.All(row.Problems, p => Assert.StartsWith("checkout-", p.Name, StringComparison.Ordinal));
        // Their back-off warnings say nothing the crash loop does not: no second row per pod.
        Assert.DoesNotContain(Rows, r => r.Rule == "warning-burst" && r.Namespace == "default");

        // The fix: a new template without the fault rolls out, the crash-looping replicas go.
        var fixedDeployment = await client.AppsV1.ReadNamespacedDeploymentAsync("checkout", "default");
        fixedDeployment.Spec.Template.Metadata.Annotations.Remove(FaultAnnotations.PodFault);
        await client.AppsV1.ReplaceNamespacedDeploymentAsync(fixedDeployment, "checkout", "default");
        await Eventually.WaitForAsync(() => !Rows.Any(r => r.Owner == "Deployment/checkout"), Settle, "the checkout row to clear");
    }

    [Fact]
    public async Task An_offline_cluster_is_one_row_and_its_pods_are_not_counted_twice()
    {
        using var client = new k8s.Kubernetes(Cluster.CreateClientConfiguration());
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("ledger", replicas: 2, FaultAnnotations.CrashLoopBackOff), "default");
        await Eventually.WaitForAsync(() => Rows.SingleOrDefault(r => r.Owner == "Deployment/ledger")?.Count == 2, Settle, "the ledger row");
        var firstSeen = Rows.Single(r => r.Owner == "Deployment/ledger").FirstSeen;

        await Cluster.Faults.TakeOfflineAsync();
        // On its way down a cluster may be Degraded for a moment (some kinds failing first), and its first failures may be
        // streams cut as the listener closes; then every attempt is refused. Wait for that state, which is what is asserted.
        await Eventually.WaitForAsync(() => Rows.Any(r => r.Rule == "cluster-health" && r.Reason == "Unreachable" && r.Message.Contains("connection refused", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20), "the cluster's own Unreachable row, connection refused");
        var only = Assert.Single(Rows);
        Assert.Equal((Severity.Critical, "Unreachable", "Cluster", "delta"), (only.Severity, only.Reason, only.ObjectKind, only.Name));
        Assert.Contains("connection refused", only.Message, StringComparison.Ordinal);

        await Cluster.Faults.BringOnlineAsync();
        await Eventually.WaitForAsync(() => !Rows.Any(r => r.Rule == "cluster-health") && Rows.Any(r => r.Owner == "Deployment/ledger"), Settle, "the cluster row to clear and the ledger row to return");
        // The same occurrence: the crash loop did not go away while nobody could see it.
        Assert.Equal(firstSeen, Rows.Single(r => r.Owner == "Deployment/ledger").FirstSeen);
    }

    [Fact]
    public async Task A_NotReady_node_is_a_critical_row_until_it_is_Ready_again()
    {
        Cluster.Faults.SetNodeNotReady("delta-worker2");
        await Eventually.WaitForAsync(() => Rows.Any(r => r.Rule == "node-notready"), Settle, "the NotReady node's row");
        var row = Assert.Single(Rows, r => r.Rule == "node-notready");
        Assert.Equal((Severity.Critical, "Node", "delta-worker2"), (row.Severity, row.ObjectKind, row.Name));
        Assert.NotNull(row.First.Since);

        Cluster.Faults.SetNodeNotReady("delta-worker2", notReady: false);
        await Eventually.WaitForAsync(() => !Rows.Any(r => r.Rule == "node-notready"), Settle, "the node's row to clear");
    }

    [Fact]
    public async Task A_quota_filled_to_95_percent_warns_that_deploys_are_about_to_be_refused()
    {
        using var client = new k8s.Kubernetes(Cluster.CreateClientConfiguration());
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-q" } });
        await client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "compute" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("20") } },
        }, "team-q");
        for (var i = 0; i < 19; i++)
        {
            await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = $"batch-{i}" },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            }, "team-q");
        }
        // The row appears at 90% (18 pods) and is judged again when the 19th pod arrives: wait for that judgement.
        await Eventually.WaitForAsync(() => Rows.Any(r => r.Namespace == "team-q" && r.Message.Contains("(19 of 20)", StringComparison.Ordinal)), Settle, "the quota's row at 19 of 20 pods");
        var row = Assert.Single(Rows, r => r.Namespace == "team-q");
        Assert.Equal((Severity.Warning, "QuotaNearlyFull", "ResourceQuota"), (row.Severity, row.Reason, row.ObjectKind));
        Assert.Contains("95%", row.Message, StringComparison.Ordinal);
        Assert.Equal("kubectl --context delta -n team-q describe resourcequota compute", TriageCommands.For(row));
    }

    [Fact]
    public async Task An_acknowledgement_shows_on_the_row_and_ends_with_the_problem()
    {
        using var client = new k8s.Kubernetes(Cluster.CreateClientConfiguration());
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("invoices", replicas: 1, FaultAnnotations.CrashLoopBackOff), "default");
        await Eventually.WaitForAsync(() => Rows.Any(r => r.Owner == "Deployment/invoices"), Settle, "the invoices row");
        var key = Rows.Single(r => r.Owner == "Deployment/invoices").Key;

        _triage.Feed.Acknowledge("delta", key, new Acknowledgement("oncall@example.com", DateTimeOffset.UtcNow, "looking", null));
        await Eventually.WaitForAsync(() => _triage.Store.Get<ProblemGroup>(FleetKind.Problem, "delta", key)?.Acknowledgement?.Note == "looking", Settle, "the acknowledgement on the row");

        await client.AppsV1.DeleteNamespacedDeploymentAsync("invoices", "default");
        await Eventually.WaitForAsync(() => !Rows.Any(r => r.Owner == "Deployment/invoices"), Settle, "the invoices row to clear");
        using var read = new CancellationTokenSource(Settle);
        var ended = await _triage.Feed.Ended.ReadAsync(read.Token);
        Assert.Equal(("delta", key, "looking", false), (ended.Cluster, ended.Key, ended.Acknowledgement.Note, ended.SnoozeEnded));
    }

    private int CrashLoopingPods(string deployment) =>
        _triage.Store.All<PodSummary>(FleetKind.Pod, "delta").Count(p => p.Name.StartsWith(deployment + "-", StringComparison.Ordinal) && p.Status == "CrashLoopBackOff");

    private static V1Deployment Deployment(string name, int replicas, string fault) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = new Dictionary<string, string> { ["app"] = name },
                    Annotations = new Dictionary<string, string> { [FaultAnnotations.PodFault] = fault },
                },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "registry.example/" + name + ":1.0" }] },
            },
        },
    };
}
