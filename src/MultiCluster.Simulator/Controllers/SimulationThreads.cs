using System.Collections.Concurrent;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// The threads the simulated controllers and churn run on, one per core, apart from the thread pool that serves
/// API requests. On the thread pool, 150 clusters' controller and churn loops kept its queue so long that a request
/// for one pod waited seconds behind them (kubectl and a dashboard's connection test gave up) while the process used
/// less than a core; here they queue among themselves, and a request waits only for the CPU.
/// </summary>
internal sealed class SimulationThreads : TaskScheduler
{
    public static readonly SimulationThreads Scheduler = new(Math.Max(1, Environment.ProcessorCount));

    [ThreadStatic]
    private static bool _isSimulationThread;

    private readonly BlockingCollection<Task> _queue = [];
    private readonly int _threads;

    private SimulationThreads(int threads)
    {
        _threads = threads;
        for (var i = 0; i < threads; i++)
        {
            new Thread(Work) { IsBackground = true, Name = "simulator-controllers" }.Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads;

    /// <summary>Starts a loop on these threads: its awaits come back to them, since it runs under this scheduler.</summary>
    public static Task Run(Func<Task> loop) =>
        Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler).Unwrap();

    protected override void QueueTask(Task task) => _queue.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        _isSimulationThread && !taskWasPreviouslyQueued && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void Work()
    {
        _isSimulationThread = true;
        foreach (var task in _queue.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
