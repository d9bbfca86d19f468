using MultiCluster.Core.Triage;
using MultiCluster.Tests;

namespace MultiCluster.UnitTests;

/// <summary>The copied kubectl command with names a cluster controls: kubectl gets exactly the arguments meant, and nothing else runs.</summary>
public sealed class TriageCommandsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("triage-commands-").FullName;

    private string Pwned => Path.Combine(_directory, "pwned");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("x;touch PWNED;#")]
    [InlineData("$(touch PWNED)")]
    [InlineData("`touch PWNED`")]
    [InlineData("a b'c\"d\ntouch PWNED")]
    [InlineData("--kubeconfig /etc/x")]
    [InlineData("")]
    [InlineData("ünïcode-*")]
    public async Task A_warning_burst_about_a_hostile_name_asks_kubectl_for_that_name(string hostile)
    {
        var name = hostile.Replace("PWNED", Pwned, StringComparison.Ordinal);
        var row = Row(new Problem
        {
            Rule = "warning-burst", Severity = Severity.Warning, Cluster = "prod", Kind = "Pod", Namespace = "team-a", Name = name,
            Reason = "BackOff", Message = "m",
        });

        Assert.Equal(
            ["kubectl", "--context", "prod", "-n", "team-a", "get", "events", "--field-selector", $"involvedObject.kind=Pod,involvedObject.name={name}"],
            await ShellWords.ArgvAsync(TriageCommands.For(row)));
        Assert.False(File.Exists(Pwned));
    }

    [Fact]
    public async Task Commas_equals_and_backslashes_in_a_field_selector_value_are_escaped_as_kubernetes_does()
    {
        var row = Row(new Problem
        {
            Rule = "warning-burst", Severity = Severity.Warning, Cluster = "prod", Kind = "Pod,x=y", Namespace = "team-a",
            Name = @"web,involvedObject.kind=Node\", Reason = "BackOff", Message = "m",
        });

        var argv = await ShellWords.ArgvAsync(TriageCommands.For(row));
        Assert.Equal(@"involvedObject.kind=Pod\,x\=y,involvedObject.name=web\,involvedObject.kind\=Node\\", argv[^1]);
    }

    [Fact]
    public async Task A_hostile_owner_of_a_crash_looping_pod_is_read_as_the_object_never_as_a_flag()
    {
        var row = Row(new Problem
        {
            Rule = "crash-loop", Severity = Severity.Critical, Cluster = "prod", Kind = "Pod", Namespace = "shop", Name = "web-0",
            Reason = "CrashLoopBackOff", Message = "m", Owner = $"--kubeconfig=/etc/x/$(touch {Pwned})",
        });

        Assert.Equal(
            ["kubectl", "--context", "prod", "-n", "shop", "logs", "--all-containers", "--previous", "--", $"--kubeconfig=/etc/x/$(touch {Pwned})"],
            await ShellWords.ArgvAsync(TriageCommands.For(row)));
        Assert.False(File.Exists(Pwned));
    }

    [Fact]
    public async Task A_quota_or_object_named_like_a_flag_comes_after_the_end_of_flags()
    {
        var quota = Row(new Problem
        {
            Rule = "quota-full", Severity = Severity.Critical, Cluster = "prod", Kind = "ResourceQuota", Namespace = "team-a", Name = "-A/pods",
            Reason = "QuotaExceeded", Message = "m",
        });
        var node = Row(new Problem
        {
            Rule = "node-notready", Severity = Severity.Critical, Cluster = "prod", Kind = "Node", Name = "n; touch " + Pwned, Reason = "NotReady", Message = "m",
        });

        Assert.Equal(["kubectl", "--context", "prod", "-n", "team-a", "describe", "resourcequota", "--", "-A"], await ShellWords.ArgvAsync(TriageCommands.For(quota)));
        Assert.Equal(["kubectl", "--context", "prod", "describe", "node/n; touch " + Pwned], await ShellWords.ArgvAsync(TriageCommands.For(node)));
        Assert.False(File.Exists(Pwned));
    }

    [Theory]
    [InlineData("-n")]
    [InlineData("--all-namespaces")]
    [InlineData("$(touch PWNED)")]
    public async Task A_hostile_namespace_stays_the_value_of_n(string hostile)
    {
        var ns = hostile.Replace("PWNED", Pwned, StringComparison.Ordinal);
        var row = Row(new Problem
        {
            Rule = "failed", Severity = Severity.Warning, Cluster = "prod", Kind = "Pod", Namespace = ns, Name = "web-0", Reason = "Error", Message = "m",
        });

        // kubectl's flag parser takes the word after -n as its value whatever it starts with.
        Assert.Equal(["kubectl", "--context", "prod", "-n", ns, "describe", "pod/web-0"], await ShellWords.ArgvAsync(TriageCommands.For(row)));
        Assert.False(File.Exists(Pwned));
    }

    [Fact]
    public void Valid_names_read_as_they_always_have()
    {
        var burst = Row(new Problem
        {
            Rule = "warning-burst", Severity = Severity.Warning, Cluster = "prod-eu-west", Kind = "Pod", Namespace = "team-a", Name = "web-1",
            Reason = "BackOff", Message = "m",
        });
        var cluster = Row(new Problem { Rule = "cluster-health", Severity = Severity.Critical, Cluster = "prod", Kind = "Cluster", Name = "prod", Reason = "Degraded", Message = "m" });

        Assert.Equal("kubectl --context prod-eu-west -n team-a get events --field-selector involvedObject.kind=Pod,involvedObject.name=web-1", TriageCommands.For(burst));
        Assert.Equal("kubectl --context prod get --raw '/readyz?verbose'", TriageCommands.For(cluster));
    }

    [Fact]
    public async Task A_name_with_a_NUL_gets_no_command_rather_than_one_for_another_object()
    {
        var row = Row(new Problem
        {
            Rule = "failed", Severity = Severity.Warning, Cluster = "prod", Kind = "Pod", Namespace = "shop", Name = "web\0-other", Reason = "Error", Message = "m",
        });

        Assert.Empty(await ShellWords.CallsAsync(TriageCommands.For(row)));
    }

    private static ProblemGroup Row(Problem problem) =>
        new() { Cluster = problem.Cluster, Key = problem.GroupKey, Problems = [problem], FirstSeen = Now, LastSeen = Now };
}
