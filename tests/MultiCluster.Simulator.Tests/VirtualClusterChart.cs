using System.Text;
using k8s;
using k8s.Models;

namespace MultiCluster.Simulator.Tests;

/// <summary>
/// What the vcluster chart puts in a host namespace, applied with the real kubectl, and a way in through the kubeconfig
/// Secret the vCluster writes back (its server rewritten to the load balancer's loopback port, as a client would).
/// </summary>
public static class VirtualClusterChart
{
    /// <summary>Applies the chart's objects for vCluster <paramref name="name"/> in host namespace <paramref name="ns"/>.</summary>
    public static Task ApplyAsync(Kubectl kubectl, string ns, string name, string kind = "StatefulSet", string serviceType = "LoadBalancer", string config = MultiCluster.Tests.VirtualClusterChartManifest.DefaultConfig) =>
        kubectl.OkAsync("apply -f -", MultiCluster.Tests.VirtualClusterChartManifest.Build(ns, name, kind, serviceType, config));

    /// <summary>Waits for the Secret vc-&lt;name&gt; and returns its data, decoded.</summary>
    public static async Task<IDictionary<string, string>> WaitForKubeconfigSecretAsync(Kubernetes host, string ns, string name)
    {
        V1Secret? secret = null;
        await Wait.ForAsync(async () => (secret = (await host.CoreV1.ListNamespacedSecretAsync(ns, fieldSelector: $"metadata.name=vc-{name}")).Items.SingleOrDefault()) is not null, $"Secret vc-{name}", 30);
        return secret!.Data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(d.Value));
    }

    /// <summary>The loopback port the Service's load balancer ingress names, once it has one.</summary>
    public static async Task<int> WaitForLoadBalancerPortAsync(Kubernetes host, string ns, string name)
    {
        var port = 0;
        await Wait.ForAsync(async () =>
        {
            var ingress = (await host.CoreV1.ReadNamespacedServiceAsync(name, ns)).Status?.LoadBalancer?.Ingress?.SingleOrDefault();
            port = ingress?.Ports?.SingleOrDefault()?.Port ?? 0;
            return ingress?.Ip == "127.0.0.1" && port > 0;
        }, $"a load balancer ingress on Service {name}", 30);
        return port;
    }

    /// <summary>The Secret's kubeconfig with its server pointed at https://127.0.0.1:&lt;port&gt;.</summary>
    public static string Kubeconfig(IDictionary<string, string> secret, int port) =>
        secret["config"].Replace("https://localhost:8443", $"https://127.0.0.1:{port}", StringComparison.Ordinal);

    public static Kubernetes Connect(string kubeconfig)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream));
    }
}
