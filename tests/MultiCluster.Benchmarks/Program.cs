using MultiCluster.Benchmarks;

return args switch
{
    ["simulator", "fleet", .. var options] => await SimulatorFleetBenchmark.RunAsync(SimulatorFleetOptions.Parse(options)),
    ["simulator", .. var options] => await SimulatorBenchmark.RunAsync(BenchmarkOptions.Parse(options)),
    ["triage", "--out", var outDirectory] => await TriageBenchmark.RunAsync(clusters: 150, podsPerCluster: 3_000, changesPerSecond: 5_000, seconds: 60, outDirectory),
    ["triage", "--smoke"] => await TriageBenchmark.RunAsync(clusters: 3, podsPerCluster: 1_000, changesPerSecond: 200, seconds: 5, "artifacts/benchmarks"),
    ["quotas", "--out", var outDirectory] => await QuotaBenchmark.RunAsync(clusters: 20, namespacesPerCluster: 100, edits: 200, outDirectory),
    ["quotas", "--smoke"] => await QuotaBenchmark.RunAsync(clusters: 2, namespacesPerCluster: 10, edits: 10, "artifacts/benchmarks"),
    ["quotas"] => await QuotaBenchmark.RunAsync(clusters: 20, namespacesPerCluster: 100, edits: 200, "artifacts/benchmarks"),
    ["access", "--out", var outDirectory] => await AccessBenchmark.RunAsync(clusters: 20, namespacesPerCluster: 100, edits: 200, outDirectory),
    ["access", "--smoke"] => await AccessBenchmark.RunAsync(clusters: 2, namespacesPerCluster: 10, edits: 10, "artifacts/benchmarks"),
    ["access"] => await AccessBenchmark.RunAsync(clusters: 20, namespacesPerCluster: 100, edits: 200, "artifacts/benchmarks"),
    ["pages", "--scenario", var scenario, "--out", var outDirectory] => await PagesBenchmark.RunAsync(FleetScenario.Parse(scenario), podsTabs: 10, overviewTabs: 10, outDirectory),
    ["pages", "--scenario", var scenario] => await PagesBenchmark.RunAsync(FleetScenario.Parse(scenario), podsTabs: 10, overviewTabs: 10, "artifacts/benchmarks"),
    ["pods"] => await PodIndexBenchmark.RunAsync(clusters: 150, podsPerCluster: 3_000, changesPerSecond: 5_000, runs: 50),
    ["pods", "--smoke"] => await PodIndexBenchmark.RunAsync(clusters: 5, podsPerCluster: 1_000, changesPerSecond: 500, runs: 5),
    ["vclusters", "--out", var outDirectory] => await VirtualClusterBenchmark.RunAsync(count: 10, outDirectory),
    ["vclusters"] => await VirtualClusterBenchmark.RunAsync(count: 10, "artifacts/benchmarks"),
    ["--scenario", var scenario, "--out", var outDirectory] => await FleetBenchmark.RunAsync(FleetScenario.Parse(scenario), outDirectory),
    ["--scenario", var scenario] => await FleetBenchmark.RunAsync(FleetScenario.Parse(scenario), "artifacts/benchmarks"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage: dotnet run -c Release --project tests/MultiCluster.Benchmarks -- --scenario smoke|standard|large [--out DIR]
               dotnet run -c Release --project tests/MultiCluster.Benchmarks -- triage --out DIR   (450,000 pods in this process)
               dotnet run -c Release --project tests/MultiCluster.Benchmarks -- quotas [--out DIR]   (20 clusters x 100 namespaces, one quota policy)
               dotnet run -c Release --project tests/MultiCluster.Benchmarks -- access [--out DIR]   (20 clusters x 100 namespaces, one team's view grant)
               dotnet run -c Release --project tests/MultiCluster.Benchmarks -- pages --scenario smoke|standard|large [--out DIR]   (10 Pods and 10 Overview tabs in Chromium)
               dotnet run -c Release --project tests/MultiCluster.Benchmarks -- pods   (the Pods page's queries over 450,000 pods in this process)
               dotnet run -c Release --project tests/MultiCluster.Benchmarks -- vclusters [--out DIR]   (10 vClusters on one simulated host, through the API)
               dotnet run -c Release --project tests/MultiCluster.Benchmarks -- simulator fleet [--clusters 150] [--nodes 100] [--pods-per-node 30] [--churn 5000] [--watch-history 10000] [--minutes 10]
               dotnet run -c Release --project tests/MultiCluster.Benchmarks -- simulator [--pods 100000] [--big 30000] [--watchers 50] [--changes 1000]
        """);
    return 2;
}
