using Microsoft.Extensions.Time.Testing;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The engine's work queue and write budget, in a clock the test moves.</summary>
public sealed class ReconcileQueueTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ReconcileQueue<string> _queue;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(10));

    public ReconcileQueueTests() => _queue = new ReconcileQueue<string>(_time, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_waiting_key_is_never_added_twice()
    {
        _queue.Add("prod-eu/team-a");
        _queue.Add("prod-eu/team-b");
        _queue.Add("prod-eu/team-a");

        Assert.Equal(2, _queue.Length);
        Assert.Equal("prod-eu/team-a", await _queue.TakeAsync(_timeout.Token));
        Assert.Equal("prod-eu/team-b", await _queue.TakeAsync(_timeout.Token));
        Assert.Equal(0, _queue.Length);
    }

    [Fact]
    public async Task A_key_added_while_it_is_worked_on_runs_once_more_after_and_never_beside_itself()
    {
        _queue.Add("k");
        var key = await _queue.TakeAsync(_timeout.Token);
        _queue.Add("k");
        _queue.Add("k");

        Assert.Equal(0, _queue.Length);
        _queue.Done(key);
        Assert.Equal(1, _queue.Length);
        Assert.Equal("k", await _queue.TakeAsync(_timeout.Token));
    }

    [Fact]
    public void Failures_back_off_doubling_up_to_the_cap_and_a_success_starts_over()
    {
        var delays = Enumerable.Range(0, 10).Select(_ => _queue.AddFailed("k")).ToList();
        Assert.Equal([0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30, 30], delays.Select(d => d.TotalSeconds));

        _queue.Forget("k");
        Assert.Equal(TimeSpan.FromMilliseconds(200), _queue.AddFailed("k"));
        // The server's Retry-After wins when it asks for longer.
        Assert.Equal(TimeSpan.FromSeconds(5), _queue.AddFailed("other", retryAfter: TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_failed_key_comes_back_when_its_backoff_has_passed_and_not_before()
    {
        _queue.AddFailed("k");
        _time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Equal(0, _queue.Length);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("k", await _queue.TakeAsync(_timeout.Token));
    }

    [Fact]
    public void The_write_budget_never_lets_more_than_its_limit_finish_within_one_second()
    {
        var budget = new WriteBudget(_time, perSecond: 20);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(TimeSpan.Zero, budget.Delay());
            budget.Finished();
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        // Twenty writes finished in the last 200 ms: the next waits until the first of them is a second old.
        Assert.Equal(TimeSpan.FromMilliseconds(800), budget.Delay());
        _time.Advance(TimeSpan.FromMilliseconds(800));
        Assert.Equal(TimeSpan.Zero, budget.Delay());
        budget.Finished();
        Assert.Equal(TimeSpan.FromMilliseconds(10), budget.Delay());

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, budget.Delay());
    }

    public void Dispose()
    {
        _queue.Dispose();
        _timeout.Dispose();
    }
}
