using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Components.Pages.Audit;

namespace MultiCluster.Components.Tests;

public sealed class AuditListTests : DashboardTestContext
{
    private readonly TestRegistry _registry = new();

    [Fact]
    public async Task Changes_are_listed_newest_first_and_filter_by_actor()
    {
        var audit = _registry.Services.GetRequiredService<AuditLog>();
        await audit.RecordAsync("alice", "cluster.register", "cluster/prod", AuditOutcome.Succeeded, "Kubernetes v1.31.2");
        await audit.RecordAsync("bob", "cluster.remove", "cluster/dev", AuditOutcome.Failed, "Only an Administrator can remove clusters.");

        var cut = Render<AuditList>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=audit-table] tbody tr").Count));
        Assert.Contains("cluster.remove", cut.FindAll("[data-testid=audit-table] tbody tr")[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Only an Administrator can remove clusters.", cut.Markup, StringComparison.Ordinal);

        cut.Find("input[aria-label='Filter by actor']").Input("alice");

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("[data-testid=audit-table] tbody tr"));
            Assert.Contains("cluster.register", row.TextContent, StringComparison.Ordinal);
        });
    }

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton(_registry.Services.GetRequiredService<AuditLog>());
        services.AddSingleton(TimeProvider.System);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _registry.Dispose();
        }
    }
}
