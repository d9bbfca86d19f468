using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Components.Fleet;

namespace MultiCluster.Components.Tests;

/// <summary>What every live page inherits: a refresh that throws is said on screen, and the page goes on updating once it can.</summary>
public sealed class LiveFleetComponentTests : DashboardTestContext
{
    private FleetStateStore _store = default!;

    public LiveFleetComponentTests() => SignInAs(MultiCluster.Data.DashboardRoles.Viewer);

    protected override void AddServices(IServiceCollection services)
    {
        _store = new FleetStateStore(TimeProvider.System, new FleetStoreOptions { BatchInterval = TimeSpan.FromMilliseconds(20) });
        services.AddSingleton(_store);
    }

    [Fact]
    public void A_refresh_that_throws_is_said_and_the_page_recovers_without_another_change()
    {
        var failing = false;
        var cut = Render<CountingPage>(p => p.Add(c => c.Failing, () => failing));
        _store.Apply(FleetChange.Upsert(Pod("a")));
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=pods]").TextContent));

        failing = true;
        _store.Apply(FleetChange.Upsert(Pod("b")));
        var snackbar = Services.GetRequiredService<ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Severity == Severity.Error && (s.Message ?? "").Contains("could not update", StringComparison.Ordinal)));
        Assert.Equal("1", cut.Find("[data-testid=pods]").TextContent);

        // Nothing changes in the fleet any more: the page tries again by itself and catches up.
        failing = false;
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=pods]").TextContent));
        Assert.Contains(snackbar.ShownSnackbars, s => s.Severity == Severity.Success && (s.Message ?? "").Contains("updating again", StringComparison.Ordinal));
    }

    [Fact]
    public void A_page_whose_test_of_a_change_throws_goes_on_following_the_store()
    {
        var cut = Render<CountingPage>(p => p.Add(c => c.ConcernsFails, true));
        _store.Apply(FleetChange.Upsert(Pod("a")));
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=pods]").TextContent));

        _store.Apply(FleetChange.Upsert(Pod("b")));

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=pods]").TextContent));
    }

    private static PodSummary Pod(string name) => new() { Cluster = "prod", Namespace = "default", Name = name };

    /// <summary>A live page that shows how many pods it sees, and fails to refresh while told to.</summary>
    public sealed class CountingPage : LiveFleetComponent
    {
        private int _pods;

        [Parameter]
        public Func<bool> Failing { get; set; } = () => false;

        [Parameter]
        public bool ConcernsFails { get; set; }

        protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.Pod);

        protected override TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(20);

        protected override bool Concerns(FleetBatch batch) => ConcernsFails ? throw new InvalidOperationException("a filter that cannot be evaluated") : true;

        protected override void Refresh() => _pods = Failing() ? throw new InvalidOperationException("the store could not be read") : Fleet.Count(FleetKind.Pod);

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "span");
            builder.AddAttribute(1, "data-testid", "pods");
            builder.AddContent(2, _pods);
            builder.CloseElement();
        }
    }
}
