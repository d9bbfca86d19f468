using Microsoft.Extensions.Logging;

namespace MultiCluster.Simulator.Hosting;

/// <summary>The simulator's log messages, with stable event ids.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Cluster {Cluster}: {Method} {Path} failed")]
    public static partial void RequestFailed(this ILogger logger, string cluster, string method, string path, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Cluster {Cluster}: reconciling {Kind} {Key} failed, will retry: {Reason}")]
    public static partial void ReconcileFailed(this ILogger logger, string cluster, string kind, string key, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Cluster {Cluster}: controller pass failed: {Reason}")]
    public static partial void ControllerPassFailed(this ILogger logger, string cluster, string reason);
}
