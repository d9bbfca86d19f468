using System.Globalization;

namespace MultiCluster.Benchmarks;

public sealed record BenchmarkOptions(int Pods, int BigClusterPods, int Watchers, int Changes, int ListRuns, int ChangesPerSecond)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["pods"] = 100_000, ["big"] = 30_000, ["watchers"] = 50, ["changes"] = 1_000, ["list-runs"] = 10, ["rate"] = 200,
        };
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var key = args[i].TrimStart('-');
            if (!values.ContainsKey(key) || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new ArgumentException($"Unknown option or value: {args[i]} {args[i + 1]}");
            }
            values[key] = value;
        }
        return new BenchmarkOptions(values["pods"], Math.Min(values["big"], values["pods"]), values["watchers"], values["changes"], values["list-runs"], values["rate"]);
    }
}
