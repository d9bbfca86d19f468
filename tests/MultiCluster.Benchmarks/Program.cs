using MultiCluster.Benchmarks;

return args switch
{
    ["simulator", .. var options] => await SimulatorBenchmark.RunAsync(BenchmarkOptions.Parse(options)),
    ["--scenario", var scenario, "--out", var outDirectory] => await FleetBenchmark.RunAsync(FleetScenario.Parse(scenario), outDirectory),
    ["--scenario", var scenario] => await FleetBenchmark.RunAsync(FleetScenario.Parse(scenario), "artifacts/benchmarks"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage: dotnet run -c Release --project tests/MultiCluster.Benchmarks -- --scenario smoke|standard|large [--out DIR]
               dotnet run -c Release --project tests/MultiCluster.Benchmarks -- simulator [--pods 100000] [--big 30000] [--watchers 50] [--changes 1000]
        """);
    return 2;
}
