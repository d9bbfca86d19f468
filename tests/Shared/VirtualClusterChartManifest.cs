namespace MultiCluster.Tests;

/// <summary>
/// What the vcluster chart (as the vcluster CLI installs it) puts in a host namespace, as YAML for <c>kubectl apply -f -</c>:
/// the fixture for a vCluster made without the dashboard (linked into each test project that needs one).
/// </summary>
public static class VirtualClusterChartManifest
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

    /// <summary>The chart's objects for vCluster <paramref name="name"/> in host namespace <paramref name="ns"/>.</summary>
    public static string Build(string ns, string name, string kind = "StatefulSet", string serviceType = "LoadBalancer", string config = DefaultConfig) =>
        (Common + "\n" + Workload)
            .Replace("CONFIG", string.Join('\n', config.Split('\n').Select(line => "    " + line)), StringComparison.Ordinal)
            .Replace("SERVICE_NAME", kind == "StatefulSet" ? "serviceName: NAME-headless" : "", StringComparison.Ordinal)
            .Replace("SERVICE_TYPE", serviceType, StringComparison.Ordinal)
            .Replace("KIND", kind, StringComparison.Ordinal)
            .Replace("NAME", name, StringComparison.Ordinal)
            .Replace("NS", ns, StringComparison.Ordinal);
}
