using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using MultiCluster.Simulator.Auth;

namespace MultiCluster.Simulator.Hosting;

/// <summary>
/// multicluster-simulator --clusters 3 --nodes 10 --pods 300 --kubeconfig ./sim.kubeconfig [--port 6443] [--churn 5] [--http]
/// [--token-file users.csv] (lines token,user,uid,"group1,group2", as kube-apiserver's --token-auth-file; every cluster accepts them)
/// </summary>
public static class SimulatorCommandLine
{
    public const string Usage =
        "usage: MultiCluster.Simulator [--clusters N] [--nodes N] [--pods N] [--kubeconfig PATH] [--port PORT] [--churn PER_SECOND] [--http] [--name-prefix PREFIX] [--version vX.Y.Z] [--watch-history CHANGES_PER_CLUSTER] [--token-file CSV]";

    public static async Task<int> RunAsync(string[] args)
    {
        int clusters = 1, nodes = 3, pods = 0, port = 6443, history = 50_000;
        double churn = 0;
        string kubeconfig = "./sim.kubeconfig", prefix = "sim", version = "v1.32.2";
        var http = false;
        IReadOnlyList<TokenUser> users = [];
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--clusters": clusters = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--nodes": nodes = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--pods": pods = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--port": port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--churn": churn = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--kubeconfig": kubeconfig = Next(); break;
                    case "--name-prefix": prefix = Next(); break;
                    case "--version": version = Next(); break;
                    case "--http": http = true; break;
                    case "--watch-history": history = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--token-file": users = ReadTokenFile(Next()); break;
                    case "--help" or "-h":
                        Console.WriteLine(Usage);
                        return 0;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{Usage}");
            return 2;
        }

        using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole(console => console.SingleLine = true));
        var options = new SimulatorOptions
        {
            LoggerFactory = logging,
            UseHttps = !http,
            Port = port,
            // Many clusters with churn: a smaller history per cluster keeps the process's memory in bounds.
            WatchHistoryCapacity = history,
            Clusters = [.. Enumerable.Range(1, clusters).Select(i => new ClusterOptions
            {
                Name = $"{prefix}-{i}",
                Nodes = nodes,
                Pods = pods,
                Seed = i,
                ChurnPerSecond = churn,
                KubernetesVersion = version,
                Users = [.. users],
            })],
        };
        SimulatorHost host;
        try
        {
            host = await SimulatorHost.StartAsync(options);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"could not listen on ports {port}..{port + clusters - 1} (--port 0 picks free ports): {e.Message}");
            return 1;
        }
        await using var running = host;
        // Ready to be stopped before saying it is up: whoever reads the lines below may send SIGTERM at once.
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        host.WriteKubeconfig(kubeconfig);
        foreach (var cluster in host.Clusters)
        {
            Console.WriteLine($"{cluster.Name} {cluster.BaseUrl}");
        }
        Console.WriteLine($"kubeconfig written to {Path.GetFullPath(kubeconfig)}; press Ctrl+C to stop");
        var upkeep = Task.WhenAll(
            ProcessUpkeep.CompactWhenSeededAsync(host, (long)clusters * pods, Console.Out, stop.Token),
            ProcessUpkeep.ReportPausesAsync(Console.Out, stop.Token));
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Interrupted: stop the clusters.
        }
        try
        {
            await upkeep;
        }
        catch (OperationCanceledException)
        {
            // Stopped with the clusters.
        }
        return 0;
    }

    private static IReadOnlyList<TokenUser> ReadTokenFile(string path)
    {
        try
        {
            return TokenFile.Read(path);
        }
        catch (IOException e)
        {
            throw new ArgumentException($"--token-file {path}: {e.Message}", e);
        }
    }
}
