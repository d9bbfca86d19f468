using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace MultiCluster.Simulator.Tests;

/// <summary>Quota and LimitRange scenarios: namespaces, quotas the controller has taken up, and refusals read as a user reads them.</summary>
public static class Quotas
{
    public static async Task<string> NamespaceAsync(Kubernetes client, string name)
    {
        await client.CoreV1.CreateNamespaceAsync(Manifests.Namespace(name));
        return name;
    }

    /// <summary>Creates a quota and waits until the quota controller has published its status (kube-apiserver enforces status.hard).</summary>
    public static async Task<V1ResourceQuota> CreateAsync(Kubernetes client, string ns, string name, Dictionary<string, string> hard, IList<string>? scopes = null)
    {
        await client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ResourceQuotaSpec { Hard = hard.ToDictionary(h => h.Key, h => new ResourceQuantity(h.Value)), Scopes = scopes },
        }, ns);
        return await WaitAsync(client, ns, name, q => q.Status?.Hard?.Count == hard.Count, $"quota {name} taken up");
    }

    public static async Task<V1ResourceQuota> WaitAsync(Kubernetes client, string ns, string name, Func<V1ResourceQuota, bool> condition, string what)
    {
        V1ResourceQuota? quota = null;
        await Wait.ForAsync(async () => condition(quota = await client.CoreV1.ReadNamespacedResourceQuotaAsync(name, ns)), what);
        return quota!;
    }

    /// <summary>Waits until status.used of <paramref name="resource"/> reads <paramref name="value"/>.</summary>
    public static Task<V1ResourceQuota> WaitForUsedAsync(Kubernetes client, string ns, string name, string resource, string value) =>
        WaitAsync(client, ns, name, q => q.Status?.Used?.TryGetValue(resource, out var used) == true && used.ToString() == value, $"{name} used {resource}={value}");

    /// <summary>Runs a write that must be refused with 403 Forbidden, and returns the Status message.</summary>
    public static async Task<string> ForbiddenAsync(Func<Task> write)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(write);
        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Forbidden", status["reason"]!.ToString());
        return status["message"]!.ToString();
    }

    public static V1Pod Pod(string name, Dictionary<string, string>? requests = null, Dictionary<string, string>? limits = null, string container = "app") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = container,
                    Image = "nginx:1.27",
                    Resources = new V1ResourceRequirements { Requests = Quantities(requests), Limits = Quantities(limits) },
                },
            ],
        },
    };

    public static Dictionary<string, ResourceQuantity>? Quantities(Dictionary<string, string>? values) =>
        values?.ToDictionary(v => v.Key, v => new ResourceQuantity(v.Value));
}
