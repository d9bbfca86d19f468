using System.Text.Json.Nodes;
using MultiCluster.Simulator.Auth;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>The initial state of a cluster: system namespaces, nodes (the first is the control plane), and Deployments for the seeded pods.</summary>
internal static class ClusterSeeder
{
    private static readonly string[] Apps = ["web", "api", "worker", "cache", "auth", "search", "billing", "queue"];

    public static void Seed(ClusterStore store, ClusterOptions options)
    {
        var namespaces = new List<string> { "default", "kube-system", "kube-public", "kube-node-lease" };
        var workloadNamespaces = options.Namespaces.Count > 0 ? options.Namespaces : options.Pods > 0 ? ["team-a", "team-b", "team-c"] : [];
        namespaces.AddRange(workloadNamespaces.Where(n => !namespaces.Contains(n)));
        foreach (var ns in namespaces)
        {
            store.Create(ResourceCatalog.Namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }
        BootstrapPolicy.Seed(store);
        ClusterRoleAggregation.Settle(store);
        var podCapacity = Math.Max(110, (int)Math.Ceiling(options.Pods * 1.3 / Math.Max(1, options.Nodes)));
        for (var i = 0; i < options.Nodes; i++)
        {
            var name = i == 0 ? $"{options.Name}-control-plane" : $"{options.Name}-worker{(i == 1 ? "" : i.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
            store.Create(ResourceCatalog.Nodes, "", NodeHeartbeats.NewNode(name, i == 0, podCapacity, i));
        }
        if (options.Pods <= 0 || workloadNamespaces.Count == 0)
        {
            return;
        }
        var random = new Random(options.Seed);
        var deployments = Math.Clamp(options.Pods / 10, 1, workloadNamespaces.Count * Apps.Length);
        var remaining = options.Pods;
        for (var d = 0; d < deployments; d++)
        {
            var replicas = d == deployments - 1 ? remaining : Math.Max(1, options.Pods / deployments);
            remaining -= replicas;
            var app = Apps[d / workloadNamespaces.Count % Apps.Length];
            var ns = workloadNamespaces[d % workloadNamespaces.Count];
            store.Create(ResourceCatalog.Deployments, ns, Deployment(app, replicas, random));
        }
    }

    public static JsonObject Deployment(string app, int replicas, Random random)
    {
        var labels = new JsonObject { ["app"] = app };
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = app, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = app,
                            ["image"] = $"registry.example.com/{app}:1.{random.Next(0, 9)}.{random.Next(0, 20)}",
                            ["resources"] = new JsonObject
                            {
                                ["requests"] = new JsonObject { ["cpu"] = $"{random.Next(1, 5) * 10}m", ["memory"] = $"{random.Next(1, 8) * 16}Mi" },
                            },
                        }),
                    },
                },
            },
        };
    }
}
