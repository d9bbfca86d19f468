using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Benchmarks;

/// <summary>
/// One cluster's pods listed by kubectl (<c>get pods -A -o json</c>, which pages by 500 as our informer does)
/// and by our pod informer into a fresh store, side by side on the same simulated cluster.
/// </summary>
internal static class ListComparison
{
    private const int Runs = 3;

    public static async Task<(double KubectlSeconds, double InformerSeconds)> RunAsync(int pods, string work)
    {
        var kubeconfig = Path.Combine(work, "list.kubeconfig");
        await using var simulator = ChildProcess.Start(ChildProcess.ProjectOutput("MultiCluster.Simulator"),
            ["--clusters", "1", "--nodes", $"{Math.Max(1, pods / 100)}", "--pods", $"{pods}", "--port", "0", "--kubeconfig", kubeconfig, "--name-prefix", "list"]);
        await simulator.WaitForLineAsync(l => l.StartsWith("kubeconfig written", StringComparison.Ordinal), TimeSpan.FromMinutes(10));
        await SimulatorReadiness.WaitForPodsAsync(kubeconfig, ["list-1"], pods, TimeSpan.FromMinutes(10));

        var kubectl = new List<double>();
        var informer = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            kubectl.Add(await KubectlAsync(kubeconfig));
            informer.Add(await InformerAsync(kubeconfig, pods));
        }
        var result = (Median(kubectl), Median(informer));
        Report.Line($"LIST of {pods:N0} pods, median of {Runs}: kubectl {result.Item1:0.00} s, our informer {result.Item2:0.00} s " +
            $"(kubectl runs: {string.Join(", ", kubectl.Select(s => s.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}; informer runs: {string.Join(", ", informer.Select(s => s.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))})");
        return result;
    }

    private static async Task<double> KubectlAsync(string kubeconfig)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--kubeconfig", kubeconfig, "get", "pods", "-A", "-o", "json" })
        {
            start.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        // Read the output as kubectl writes it, the way a terminal or a pipe would.
        var output = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var error = process.StandardError.ReadToEndAsync();
        await Task.WhenAll(output, process.WaitForExitAsync());
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl failed: {await error}");
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> InformerAsync(string kubeconfig, int pods)
    {
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        using var client = new ClusterApiClient(configuration);
        using var store = new FleetStateStore(TimeProvider.System);
        var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var informer = new Informer<V1Pod, V1PodList>("list", new Uri(configuration.Host), client, WatchedKinds.Pods, store,
            new FleetProjections(new StringPool()), new Observer(listed), new InformerOptions(), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var running = informer.RunAsync(stop.Token);
        await listed.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await running;
        if (store.Count(FleetKind.Pod) != pods)
        {
            throw new InvalidOperationException($"the informer listed {store.Count(FleetKind.Pod)} pods of {pods}");
        }
        return elapsed;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private sealed class Observer(TaskCompletionSource listed) : IInformerObserver
    {
        public void StatusChanged(KindWatchStatus status)
        {
            if (status.State == WatchState.Watching)
            {
                listed.TrySetResult();
            }
        }

        public void Contacted()
        {
        }
    }
}
