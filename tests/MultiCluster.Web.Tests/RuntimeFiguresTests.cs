using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MultiCluster.Web.Tests;

/// <summary>The runtime figures (event 3400) the fleet benchmark prints to explain a latency tail.</summary>
public sealed class RuntimeFiguresTests
{
    [Fact]
    public async Task A_blocking_full_collection_is_logged_with_why_it_began()
    {
        await using var dashboard = new TestDashboard(("Diagnostics:RuntimeFiguresSeconds", "1"));
        var lines = new ConcurrentQueue<string>();
        dashboard.Services.GetRequiredService<ILoggerFactory>().AddProvider(new Capture(lines));

        // Induced again while waiting: a line names the last full collection, and a background one made by the tests
        // beside this one must not hide the blocking one.
        await Eventually.WaitForAsync(() =>
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
                return lines.Any(l => l.Contains("(blocking, reason: induced)", StringComparison.Ordinal));
            },
            "a runtime figures line naming a blocking full collection and why it began", state: () => string.Join(Environment.NewLine, lines));
    }

    private sealed class Capture(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => categoryName == "MultiCluster.Web.Health.RuntimeFigures" ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
