using MultiCluster.Core.Triage;

namespace MultiCluster.UnitTests;

/// <summary>What the Triage page shows first, and what its filters keep.</summary>
public sealed class TriageViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Labels = new()
    {
        ["prod"] = new Dictionary<string, string> { ["env"] = "prod" },
        ["dev"] = new Dictionary<string, string> { ["env"] = "dev" },
    };

    [Fact]
    public void Worst_first_then_open_before_handled_then_whole_clusters_and_nodes_then_the_widest()
    {
        var rows = new[]
        {
            Row("dev", "Pod", Severity.Warning, "web"),
            Row("prod", "Pod", Severity.Critical, "web", count: 40),
            Row("prod", "Pod", Severity.Critical, "api", count: 3),
            Row("prod", "Node", Severity.Critical, "node-1"),
            Row("dev", "Pod", Severity.Critical, "acked") with { Acknowledgement = new("ana", Now, "on it", null) },
            Row("dev", "Pod", Severity.Critical, "snoozed") with { Acknowledgement = new("ana", Now, null, Now.AddHours(1)) },
        };

        var (shown, error) = TriageView.Rows(rows, Labels.GetValueOrDefault, new TriageQuery(), Now);

        Assert.Null(error);
        Assert.Equal(["node-1", "web", "api", "acked", "web"], shown.Select(r => r.Name));
        Assert.Equal(6, TriageView.Rows(rows, Labels.GetValueOrDefault, new TriageQuery { IncludeSnoozed = true }, Now).Rows.Count);
        Assert.Equal(3, TriageView.OpenCriticals(rows, Now));
        // A snooze that has ended counts again.
        Assert.Equal(4, TriageView.OpenCriticals(rows, Now.AddHours(2)));
    }

    [Fact]
    public void Filters_by_cluster_labels_namespace_severity_and_kind()
    {
        var rows = new[] { Row("prod", "Pod", Severity.Warning, "web"), Row("prod", "Node", Severity.Critical, "node-1"), Row("dev", "Pod", Severity.Critical, "api") };

        Assert.Equal(["node-1", "web"], Names(new TriageQuery { ClusterSelector = "env=prod" }));
        Assert.Equal(["node-1", "api"], Names(new TriageQuery { Severity = Severity.Critical }));
        Assert.Equal(["api", "web"], Names(new TriageQuery { Kind = "Deployment" }));
        Assert.Equal(["node-1"], Names(new TriageQuery { Kind = "node" }));
        Assert.Equal(["web"], Names(new TriageQuery { Namespace = "shop", Cluster = "prod" }));
        Assert.NotNull(TriageView.Rows(rows, Labels.GetValueOrDefault, new TriageQuery { ClusterSelector = "env in prod" }, Now).Error);

        IEnumerable<string> Names(TriageQuery query) => TriageView.Rows(rows, Labels.GetValueOrDefault, query, Now).Rows.Select(r => r.Name);
    }

    [Fact]
    public void Sections_and_the_next_kubectl_command_name_the_cluster_and_namespace()
    {
        var web = Row("prod", "Pod", Severity.Critical, "web");
        Assert.Equal("prod / shop", TriageView.SectionOf(web, TriageGrouping.Namespace));
        Assert.Equal("Deployment", TriageView.SectionOf(web, TriageGrouping.Kind));
        Assert.Equal("kubectl --context prod -n shop logs deployment/web --all-containers --previous", TriageCommands.For(web));
        Assert.Equal("kubectl --context prod describe node/node-1", TriageCommands.For(Row("prod", "Node", Severity.Critical, "node-1")));
    }

    private static ProblemGroup Row(string cluster, string kind, Severity severity, string name, int count = 1)
    {
        var problems = Enumerable.Range(0, count).Select(i => new Problem
        {
            Rule = kind == "Pod" ? "crash-loop" : "node-notready", Severity = severity, Cluster = cluster, Kind = kind,
            Namespace = kind == "Pod" ? "shop" : null, Name = kind == "Pod" ? $"{name}-{i}" : name, Reason = "CrashLoopBackOff", Message = "m",
            Owner = kind == "Pod" ? $"Deployment/{name}" : null,
        }).ToList();
        return new ProblemGroup { Cluster = cluster, Key = problems[0].GroupKey, Problems = problems, FirstSeen = Now, LastSeen = Now };
    }
}
