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
    private const string Common = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: NS}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: vc-NAME, namespace: NS}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: vc-NAME, namespace: NS}
        rules:
        - apiGroups: [""]
          resources: [pods, pods/status, services, endpoints, secrets, configmaps, events, persistentvolumeclaims]
          verbs: ["*"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: vc-NAME, namespace: NS}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: vc-NAME}
        subjects: [{kind: ServiceAccount, name: vc-NAME, namespace: NS}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: vc-config-NAME, namespace: NS}
        type: Opaque
        stringData:
          config.yaml: |
        CONFIG
        ---
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: vc-NAME, namespace: NS}
        spec:
          hard: {pods: "20", requests.cpu: "10", requests.memory: 20Gi, limits.cpu: "20", limits.memory: 40Gi, services.loadbalancers: "1"}
        ---
        apiVersion: v1
        kind: LimitRange
        metadata: {name: vc-NAME, namespace: NS}
        spec:
          limits:
          - type: Container
            default: {cpu: "1", memory: 512Mi}
            defaultRequest: {cpu: 100m, memory: 128Mi}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: NAME
          namespace: NS
          labels: {app: vcluster, release: NAME, vcluster.loft.sh/service: "true"}
        spec:
          type: SERVICE_TYPE
          selector: {app: vcluster, release: NAME}
          ports: [{name: https, port: 443, targetPort: 8443, protocol: TCP}]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: NAME-headless
          namespace: NS
          labels: {app: vcluster, release: NAME}
        spec:
          clusterIP: None
          selector: {app: vcluster, release: NAME}
          ports: [{name: https, port: 443, targetPort: 8443, protocol: TCP}]
        ---
        """;

    /// <summary>The vcluster.yaml the tests give unless they say otherwise.</summary>
    public const string DefaultConfig = """
        controlPlane:
          distro:
            k8s:
              enabled: true
              version: v1.31.1
        """;

    private const string Workload = """
        apiVersion: apps/v1
        kind: KIND
        metadata:
          name: NAME
          namespace: NS
          labels: {app: vcluster, release: NAME}
        spec:
          replicas: 1
          SERVICE_NAME
          selector:
            matchLabels: {app: vcluster, release: NAME}
          template:
            metadata:
              labels: {app: vcluster, release: NAME}
            spec:
              serviceAccountName: vc-NAME
              containers:
              - name: syncer
                image: ghcr.io/loft-sh/vcluster-oss:0.21.2
                ports: [{containerPort: 8443, name: https}]
        """;

    /// <summary>Applies the chart's objects for vCluster <paramref name="name"/> in host namespace <paramref name="ns"/>.</summary>
    public static Task ApplyAsync(Kubectl kubectl, string ns, string name, string kind = "StatefulSet", string serviceType = "LoadBalancer", string config = DefaultConfig)
    {
        var manifest = (Common + "\n" + Workload)
            .Replace("CONFIG", string.Join('\n', config.Split('\n').Select(line => "    " + line)), StringComparison.Ordinal)
            .Replace("SERVICE_NAME", kind == "StatefulSet" ? "serviceName: NAME-headless" : "", StringComparison.Ordinal)
            .Replace("SERVICE_TYPE", serviceType, StringComparison.Ordinal)
            .Replace("KIND", kind, StringComparison.Ordinal)
            .Replace("NAME", name, StringComparison.Ordinal)
            .Replace("NS", ns, StringComparison.Ordinal);
        return kubectl.OkAsync("apply -f -", manifest);
    }

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
