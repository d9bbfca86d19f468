using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;

namespace MultiCluster.UnitTests;

/// <summary>One test per rule, with its threshold and its cleared case.</summary>
public sealed class TriageRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);
    private static readonly TriageThresholds Thresholds = new();

    [Theory]
    [InlineData(ClusterHealth.Unreachable, Severity.Critical)]
    [InlineData(ClusterHealth.Unauthorized, Severity.Critical)]
    [InlineData(ClusterHealth.Degraded, Severity.Warning)]
    public void A_cluster_that_is_not_synced_is_a_problem(ClusterHealth health, Severity severity)
    {
        var problem = Assert.Single(TriageRules.ForCluster(new ClusterSummary { Cluster = "prod", Health = health, Problem = "why" }));
        Assert.Equal((severity, health.ToString(), "why"), (problem.Severity, problem.Reason, problem.Message));
        Assert.Empty(TriageRules.ForCluster(new ClusterSummary { Cluster = "prod", Health = ClusterHealth.Synced }));
    }

    [Fact]
    public void A_NotReady_node_says_for_how_long_and_a_ready_one_is_fine()
    {
        var problem = Assert.Single(TriageRules.ForNode(Node() with { Ready = false, ReadySince = Now.AddMinutes(-12) }));
        Assert.Equal((Severity.Critical, "NotReady"), (problem.Severity, problem.Reason));
        Assert.Equal(Now.AddMinutes(-12), problem.Since);
        Assert.Empty(TriageRules.ForNode(Node()));
    }

    [Fact]
    public void Pressure_and_cordons_are_node_problems()
    {
        var problems = TriageRules.ForNode(Node() with { Pressures = ["MemoryPressure", "DiskPressure"], Unschedulable = true }).ToList();
        Assert.Equal(["MemoryPressure", "DiskPressure", "Cordoned"], problems.Select(p => p.Reason));
        Assert.Equal(Severity.Info, problems[^1].Severity);
    }

    [Theory]
    [InlineData("CrashLoopBackOff", "crash-loop", Severity.Critical)]
    [InlineData("ImagePullBackOff", "image-pull", Severity.Critical)]
    [InlineData("ErrImagePull", "image-pull", Severity.Critical)]
    [InlineData("CreateContainerConfigError", "container-config", Severity.Critical)]
    public void Broken_containers_are_critical(string status, string rule, Severity severity)
    {
        var problem = Assert.Single(TriageRules.ForPod(Pod() with { Status = status, Restarts = 3 }, Now, Thresholds));
        Assert.Equal((rule, severity, status), (problem.Rule, problem.Severity, problem.Reason));
        Assert.Empty(TriageRules.ForPod(Pod(), Now, Thresholds));
    }

    [Fact]
    public void A_pod_pending_past_the_threshold_gives_the_schedulers_reason()
    {
        var pending = Pod() with { Phase = "Pending", Status = "Pending", NodeName = null, SchedulingProblem = "0/3 nodes are available: 3 Insufficient cpu." };

        Assert.Empty(TriageRules.ForPod(pending with { CreatedAt = Now.AddMinutes(-4) }, Now, Thresholds));
        var problem = Assert.Single(TriageRules.ForPod(pending with { CreatedAt = Now.AddMinutes(-6) }, Now, Thresholds));
        Assert.Contains("Insufficient cpu", problem.Message, StringComparison.Ordinal);
        Assert.Single(TriageRules.ForPod(pending with { CreatedAt = Now.AddMinutes(-2) }, Now, Thresholds with { PendingFor = TimeSpan.FromMinutes(1) }));
    }

    [Fact]
    public void A_failed_pod_is_a_warning()
    {
        Assert.Equal("failed", Assert.Single(TriageRules.ForPod(Pod() with { Phase = "Failed", Status = "Error" }, Now, Thresholds)).Rule);
    }

    [Fact]
    public void An_OOM_kill_as_last_termination_is_a_warning()
    {
        var problem = Assert.Single(TriageRules.ForPod(Pod() with { LastTerminationReason = "OOMKilled", Restarts = 1, LastRestartAt = Now.AddMinutes(-3) }, Now, Thresholds));
        Assert.Equal("oom-killed", problem.Rule);
        Assert.Empty(TriageRules.ForPod(Pod() with { LastTerminationReason = "Completed", Restarts = 1 }, Now, Thresholds));
    }

    [Fact]
    public void Many_restarts_count_only_when_the_last_was_recent()
    {
        var restarting = Pod() with { Restarts = 5, LastRestartAt = Now.AddMinutes(-20), LastTerminationReason = "Error" };
        Assert.Equal("restarts", Assert.Single(TriageRules.ForPod(restarting, Now, Thresholds)).Rule);
        Assert.Empty(TriageRules.ForPod(restarting with { LastRestartAt = Now.AddHours(-2) }, Now, Thresholds));
        Assert.Empty(TriageRules.ForPod(restarting with { Restarts = 4 }, Now, Thresholds));
    }

    [Theory]
    [InlineData(8.9, null, null)]
    [InlineData(9.5, "quota-near", Severity.Warning)]
    [InlineData(10, "quota-full", Severity.Critical)]
    public void A_quota_warns_at_90_percent_and_is_critical_when_full(double used, string? rule, Severity? severity)
    {
        var quota = new QuotaSummary
        {
            Cluster = "prod", Namespace = "payments", Name = "compute",
            Resources = [new QuotaResource("requests.cpu", "10", used.ToString(System.Globalization.CultureInfo.InvariantCulture), 10, (decimal)used)],
        };
        var problem = TriageRules.ForQuota(quota, Thresholds).SingleOrDefault();
        Assert.Equal((rule, severity), (problem?.Rule, problem?.Severity));
    }

    [Fact]
    public void A_burst_of_warnings_on_one_object_is_a_problem_and_old_ones_are_not()
    {
        EventSummary Warning(string name, int count, int minutesAgo) => new()
        {
            Cluster = "prod", Namespace = "web", Name = name, Reason = "BackOff", Message = "Back-off restarting failed container",
            InvolvedKind = "Pod", InvolvedName = "web-1", Count = count, LastSeen = Now.AddMinutes(-minutesAgo),
        };

        var problem = Assert.Single(TriageRules.ForEvents([Warning("a", 6, 1), Warning("b", 4, 2)], Now, Thresholds));
        Assert.Equal(("warning-burst", "web-1", "BackOff"), (problem.Rule, problem.Name, problem.Reason));
        Assert.Empty(TriageRules.ForEvents([Warning("a", 6, 1), Warning("b", 4, 30)], Now, Thresholds));
    }

    [Fact]
    public void A_replica_belongs_to_its_deployment()
    {
        var pod = Pod() with { OwnerKind = "ReplicaSet", OwnerName = "web-7d9f8", Labels = [new("pod-template-hash", "7d9f8")] };
        Assert.Equal("Deployment/web", TriageRules.Owner(pod));
        Assert.Equal("StatefulSet/db", TriageRules.Owner(Pod() with { OwnerKind = "StatefulSet", OwnerName = "db" }));
        Assert.Null(TriageRules.Owner(Pod()));
    }

    private static NodeSummary Node() => new() { Cluster = "prod", Name = "node-1", Ready = true };

    private static PodSummary Pod() => new()
    {
        Cluster = "prod", Namespace = "web", Name = "web-1", Phase = "Running", Status = "Running", NodeName = "node-1", CreatedAt = Now.AddDays(-1),
    };
}
