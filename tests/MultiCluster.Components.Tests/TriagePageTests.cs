using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Triage;
using MultiCluster.Web.Components.Fleet;
using MultiCluster.Web.Components.Pages.Triage;
using MultiCluster.Web.Triage;

namespace MultiCluster.Components.Tests;

/// <summary>The Triage page over the real feed and registry: the tests change the fleet as informers would.</summary>
public sealed class TriagePageTests : DashboardTestContext
{
    // "Now" stands still, so ages on the page are the test's and not a busy machine's; timers still run.
    private readonly TestRegistry _registry = new(new ManualTimeProvider(DateTimeOffset.UtcNow));

    public TriagePageTests()
    {
        SignInAs(DashboardRoles.Operator);
        _registry.Add(new Cluster { Id = Guid.NewGuid(), Name = "prod-eu", DisplayName = "prod-eu", ApiServerUrl = "https://prod-eu:6443" });
        Feed.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        Feed.Started.GetAwaiter().GetResult();
    }

    private TimeProvider Clock => _registry.Services.GetRequiredService<TimeProvider>();

    private FleetStateStore Store => _registry.Services.GetRequiredService<FleetStateStore>();

    private ProblemFeed Feed => _registry.Services.GetRequiredService<ProblemFeed>();

    [Fact]
    public void The_page_groups_replicas_into_one_row_worst_first_and_opens_the_list_behind_it()
    {
        Fill();
        var cut = Render<TriagePage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=triage-row]").Count));
        Assert.Equal(["Node prod-eu-worker", "Deployment shop/web"], cut.FindAll("[data-testid=triage-what]").Select(e => e.TextContent.Trim()));
        Assert.Equal("2 critical", cut.Find("[data-testid=triage-critical-count]").TextContent.Trim());
        Assert.Equal("kubectl --context prod-eu -n shop logs deployment/web --all-containers --previous", cut.FindAll("[data-testid=triage-kubectl]")[1].TextContent);
        Assert.Equal("/clusters/prod-eu/pods/shop/web-5d8f-a?previous=true", cut.FindAll("[data-testid=triage-open]")[1].GetAttribute("href"));

        cut.Find("[data-testid=triage-count]").Click();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=triage-members] li").Count));
        Assert.Equal("/clusters/prod-eu/pods/shop/web-5d8f-c?previous=true", cut.FindAll("[data-testid=triage-members] a")[2].GetAttribute("href"));
    }

    [Fact]
    public void Rows_appear_change_and_disappear_as_the_fleet_changes()
    {
        Fill();
        var cut = Render<TriagePage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=triage-row]").Count));

        Store.Apply(FleetChange.Upsert(Crashing("web-5d8f-d")));
        Store.Apply(FleetChange.Upsert(Crashing("api-7c9-a", "api-7c9")));
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(3, cut.FindAll("[data-testid=triage-row]").Count);
            Assert.Equal("4 pods", cut.Find("[data-testid=triage-count]").TextContent.Trim());
        });

        Store.Apply(FleetChange.Upsert(new NodeSummary { Cluster = "prod-eu", Name = "prod-eu-worker", Ready = true }));
        Store.Apply([.. new[] { "web-5d8f-a", "web-5d8f-b", "web-5d8f-c", "web-5d8f-d" }.Select(n => FleetChange.Delete(FleetKind.Pod, "prod-eu", "shop/" + n))]);
        cut.WaitForAssertion(() => Assert.Equal(["Deployment shop/api"], cut.FindAll("[data-testid=triage-what]").Select(e => e.TextContent.Trim())));

        cut.Find("input[data-testid=triage-namespace]").Input("elsewhere");
        cut.WaitForAssertion(() => Assert.Contains("No problem matches these filters", cut.Find("[data-testid=triage-empty]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_acknowledged_row_shows_who_and_when_and_leaves_the_navigation_counter()
    {
        Fill();
        var counter = Render<TriageCounter>();
        counter.WaitForAssertion(() => Assert.Equal("2", counter.Find("[data-testid=triage-counter]").TextContent));
        var cut = Render<TriagePage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=triage-acknowledge]").Count));

        var web = Store.All<ProblemGroup>(FleetKind.Problem).Single(r => r.Owner == "Deployment/web");
        var oncall = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ana"), new Claim(ClaimTypes.Role, DashboardRoles.Operator)], "test"));
        Assert.Null(await _registry.Services.GetRequiredService<ProblemAcknowledgements>().AcknowledgeAsync(oncall, "prod-eu", web.Key, "rolling back to 1.4.2", null));

        cut.WaitForAssertion(() =>
        {
            var handling = cut.FindAll("[data-testid=triage-handling]")[1].TextContent;
            Assert.Contains("Acknowledged by ana, 0s ago", handling, StringComparison.Ordinal);
            Assert.Contains("rolling back to 1.4.2", handling, StringComparison.Ordinal);
        });
        Assert.Single(cut.FindAll("[data-testid=triage-unacknowledge]"));
        counter.WaitForAssertion(() => Assert.Equal("1", counter.Find("[data-testid=triage-counter]").TextContent));
        var audit = await _registry.Services.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery { Action = TriageAuditActions.Acknowledge });
        Assert.Equal(("ana", "cluster/prod-eu"), (audit.Entries.Single().Actor, audit.Entries.Single().Target));
    }

    [Fact]
    public async Task A_viewer_sees_the_rows_but_cannot_acknowledge_or_snooze()
    {
        SignInAs(DashboardRoles.Viewer);
        Fill();
        var cut = Render<TriagePage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=triage-row]").Count));
        Assert.Empty(cut.FindAll("[data-testid=triage-acknowledge]"));

        var web = Store.All<ProblemGroup>(FleetKind.Problem).Single(r => r.Owner == "Deployment/web");
        var viewer = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "vic"), new Claim(ClaimTypes.Role, DashboardRoles.Viewer)], "test"));
        var refused = await _registry.Services.GetRequiredService<ProblemAcknowledgements>().AcknowledgeAsync(viewer, "prod-eu", web.Key, null, TimeSpan.FromHours(1));
        Assert.Equal("Your role on prod-eu (Viewer) may not acknowledge or snooze problems; that needs Administrator or Operator.", refused);
        Assert.Null(Store.Get<ProblemGroup>(FleetKind.Problem, "prod-eu", web.Key)!.Acknowledgement);
        Assert.Empty((await _registry.Services.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery { Action = TriageAuditActions.Snooze })).Entries);
    }

    [Fact]
    public async Task A_hostile_pod_name_reaches_the_copied_command_as_one_inert_argument()
    {
        const string Hostile = "x;touch /tmp/mc-pwned-page;#";
        Store.Apply(
        [
            FleetChange.Upsert(new ClusterSummary { Cluster = "prod-eu", Health = ClusterHealth.Synced }),
            FleetChange.Upsert(Crashing("$(id)") with { OwnerKind = "Node", OwnerName = Hostile, Labels = [] }),
        ]);
        var cut = Render<TriagePage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=triage-kubectl]")));

        var argv = await ShellWords.ArgvAsync(cut.Find("[data-testid=triage-kubectl]").TextContent);
        Assert.Equal(["kubectl", "--context", "prod-eu", "-n", "shop", "logs", "node/" + Hostile, "--all-containers", "--previous"], argv);
        Assert.False(File.Exists("/tmp/mc-pwned-page"));
    }

    private void Fill() => Store.Apply(
    [
        FleetChange.Upsert(new ClusterSummary { Cluster = "prod-eu", Health = ClusterHealth.Synced, Labels = new Dictionary<string, string> { ["env"] = "prod" } }),
        FleetChange.Upsert(new NodeSummary { Cluster = "prod-eu", Name = "prod-eu-worker", Ready = false, ReadySince = Clock.GetUtcNow().AddMinutes(-3) }),
        FleetChange.Upsert(Crashing("web-5d8f-a")),
        FleetChange.Upsert(Crashing("web-5d8f-b")),
        FleetChange.Upsert(Crashing("web-5d8f-c")),
    ]);

    private PodSummary Crashing(string name, string owner = "web-5d8f") => new()
    {
        Cluster = "prod-eu", Namespace = "shop", Name = name, Phase = "Running", Status = "CrashLoopBackOff", Restarts = 6, CreatedAt = Clock.GetUtcNow().AddHours(-1),
        OwnerKind = "ReplicaSet", OwnerName = owner, Labels = [new("pod-template-hash", owner[(owner.IndexOf('-') + 1)..])],
    };

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton(Clock);
        services.AddSingleton(Store);
        services.AddSingleton(_registry.Services.GetRequiredService<ProblemAcknowledgements>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Feed.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            _registry.Dispose();
        }
    }
}
