using k8s;
using k8s.Models;
using MultiCluster.Core;
using MultiCluster.Core.VirtualClusters;

namespace MultiCluster.Kubernetes.VirtualClusters;

/// <summary>
/// The host objects of one vCluster, named and labelled as the vcluster chart names and labels them (so the CLI lists,
/// pauses, connects to and deletes what the dashboard made). They are KubernetesClient models, so they live here rather
/// than in Core (which has no package references); the names, labels and defaults they use are Core's.
/// </summary>
public static class VirtualClusterManifests
{
    public const string Image = "ghcr.io/loft-sh/vcluster-oss";

    /// <summary>
    /// Every object the person creates, in order: the namespace first (when it is to be made), the workload last. The
    /// isolation quota and limit range are not among them: the engine writes those (VirtualClusterIsolationPlanner).
    /// </summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> For(VirtualClusterSpec spec, bool createNamespace)
    {
        var name = spec.Name;
        var ns = spec.EffectiveNamespace;
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (createNamespace)
        {
            objects.Add(new V1Namespace
            {
                ApiVersion = "v1", Kind = "Namespace",
                Metadata = new V1ObjectMeta { Name = ns, Annotations = new Dictionary<string, string> { [VirtualClusterNames.CreatedAnnotation] = "true" } },
            });
        }
        // The quota and limit range are the engine's to write (as the dashboard, repaired if changed); the network policies the person's.
        if (spec.Isolation && spec.NetworkIsolation)
        {
            objects.AddRange(NetworkPolicies(name, ns));
        }
        objects.Add(new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = Meta(VirtualClusterNames.ServiceAccount(name), ns, name) });
        objects.Add(new V1Role
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "Role",
            Metadata = Meta(VirtualClusterNames.ServiceAccount(name), ns, name),
            Rules =
            [
                new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps", "secrets", "services", "pods", "pods/attach", "pods/portforward", "pods/exec", "persistentvolumeclaims"], Verbs = ["create", "delete", "patch", "update", "get", "list", "watch"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["endpoints", "events", "pods/log", "pods/status"], Verbs = ["create", "delete", "patch", "update", "get", "list", "watch"] },
                new V1PolicyRule { ApiGroups = ["apps"], Resources = ["statefulsets", "replicasets", "deployments"], Verbs = ["get", "list", "watch"] },
            ],
        });
        objects.Add(new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "RoleBinding",
            Metadata = Meta(VirtualClusterNames.ServiceAccount(name), ns, name),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = VirtualClusterNames.ServiceAccount(name) },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = VirtualClusterNames.ServiceAccount(name), NamespaceProperty = ns }],
        });
        objects.Add(new V1Secret
        {
            ApiVersion = "v1", Kind = "Secret", Type = "Opaque",
            Metadata = Meta(VirtualClusterNames.ConfigSecret(name), ns, name),
            StringData = new Dictionary<string, string> { ["config.yaml"] = ConfigYaml(spec) },
        });
        objects.Add(new V1Service
        {
            ApiVersion = "v1", Kind = "Service",
            Metadata = Meta(name, ns, name, new Dictionary<string, string> { [VirtualClusterNames.ServiceLabel] = "true" }),
            Spec = new V1ServiceSpec
            {
                Type = spec.ServiceType,
                // A LoadBalancer takes no node port, so the isolation quota's services.nodeports 0 still holds.
                AllocateLoadBalancerNodePorts = spec.ServiceType == "LoadBalancer" ? false : null,
                Selector = Selector(name),
                Ports = [new V1ServicePort { Name = "https", Port = 443, TargetPort = 8443, Protocol = "TCP" }],
            },
        });
        objects.Add(new V1Service
        {
            ApiVersion = "v1", Kind = "Service",
            Metadata = Meta(VirtualClusterNames.HeadlessService(name), ns, name),
            Spec = new V1ServiceSpec
            {
                ClusterIP = "None", PublishNotReadyAddresses = true, Selector = Selector(name),
                Ports = [new V1ServicePort { Name = "https", Port = 443, TargetPort = 8443, Protocol = "TCP" }],
            },
        });
        objects.Add(StatefulSet(spec));
        return objects;
    }

    public static V1StatefulSet StatefulSet(VirtualClusterSpec spec)
    {
        var name = spec.Name;
        return new V1StatefulSet
        {
            ApiVersion = "apps/v1", Kind = "StatefulSet",
            Metadata = Meta(name, spec.EffectiveNamespace, name),
            Spec = new V1StatefulSetSpec
            {
                Replicas = 1,
                ServiceName = VirtualClusterNames.HeadlessService(name),
                PodManagementPolicy = "Parallel",
                Selector = new V1LabelSelector { MatchLabels = Selector(name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Selector(name) },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = VirtualClusterNames.ServiceAccount(name),
                        Volumes = [new V1Volume { Name = "vcluster-config", Secret = new V1SecretVolumeSource { SecretName = VirtualClusterNames.ConfigSecret(name) } }],
                        Containers =
                        [
                            new V1Container
                            {
                                Name = VirtualClusterNames.SyncerContainer,
                                Image = $"{Image}:{VirtualClusterSpec.DefaultRelease}",
                                Ports = [new V1ContainerPort { Name = "https", ContainerPort = 8443, Protocol = "TCP" }],
                                Env =
                                [
                                    new V1EnvVar { Name = "VCLUSTER_NAME", Value = name },
                                    new V1EnvVar { Name = "NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
                                    new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                                    new V1EnvVar { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
                                ],
                                VolumeMounts =
                                [
                                    new V1VolumeMount { Name = "data", MountPath = "/data" },
                                    new V1VolumeMount { Name = "vcluster-config", MountPath = "/var/vcluster", ReadOnlyProperty = true },
                                ],
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("200m"), ["memory"] = new("256Mi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("2Gi"), ["ephemeral-storage"] = new("8Gi") },
                                },
                            },
                        ],
                    },
                },
                VolumeClaimTemplates =
                [
                    new V1PersistentVolumeClaim
                    {
                        Metadata = new V1ObjectMeta { Name = "data" },
                        Spec = new V1PersistentVolumeClaimSpec
                        {
                            AccessModes = ["ReadWriteOnce"],
                            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("5Gi") } },
                        },
                    },
                ],
            },
        };
    }

    /// <summary>The vcluster.yaml the chart is installed with (kept in <c>vc-config-&lt;name&gt;</c>, key <c>config.yaml</c>).</summary>
    public static string ConfigYaml(VirtualClusterSpec spec) =>
        $"""
        controlPlane:
          distro:
            k8s:
              enabled: true
              version: {spec.KubernetesVersion}
          service:
            spec:
              type: {spec.ServiceType}
          statefulSet:
            persistence:
              volumeClaim:
                enabled: true
        policies:
          resourceQuota:
            enabled: {(spec.Isolation ? "true" : "false")}
          limitRange:
            enabled: {(spec.Isolation ? "true" : "false")}
          networkPolicy:
            enabled: {(spec.Isolation && spec.NetworkIsolation ? "true" : "false")}

        """;

    /// <summary>
    /// As the chart's network isolation: the vCluster's workloads reach each other, DNS, its control plane and the internet
    /// but not the host's other namespaces; its control plane reaches its workloads, DNS and the host's API.
    /// </summary>
    private static IEnumerable<V1NetworkPolicy> NetworkPolicies(string name, string ns)
    {
        var internet = new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] } };
        var dns = new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector(), PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } } };
        var workloads = new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [VirtualClusterNames.ManagedByLabel] = name } } };
        var controlPlane = new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Selector(name) } };
        yield return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1", Kind = "NetworkPolicy",
            Metadata = Meta(VirtualClusterNames.WorkloadNetworkPolicy(name), ns, name),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [VirtualClusterNames.ManagedByLabel] = name } },
                PolicyTypes = ["Egress"],
                Egress = [new V1NetworkPolicyEgressRule { To = [workloads, controlPlane, dns, internet] }],
            },
        };
        yield return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1", Kind = "NetworkPolicy",
            Metadata = Meta(VirtualClusterNames.ControlPlaneNetworkPolicy(name), ns, name),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = Selector(name) },
                PolicyTypes = ["Egress"],
                Egress =
                [
                    new V1NetworkPolicyEgressRule { To = [workloads, dns, internet] },
                    // The host's API server, wherever it is (a service IP, a node address): the syncer works through it.
                    new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Port = 443, Protocol = "TCP" }, new V1NetworkPolicyPort { Port = 6443, Protocol = "TCP" }, new V1NetworkPolicyPort { Port = 8443, Protocol = "TCP" }] },
                ],
            },
        };
    }

    private static Dictionary<string, string> Selector(string name) => new(VirtualClusterNames.Labels(name));

    private static V1ObjectMeta Meta(string objectName, string ns, string release, Dictionary<string, string>? extra = null)
    {
        var labels = new Dictionary<string, string>(VirtualClusterNames.Labels(release)) { ["chart"] = $"vcluster-{VirtualClusterSpec.DefaultRelease}", ["heritage"] = "MultiCluster" };
        foreach (var (key, value) in extra ?? [])
        {
            labels[key] = value;
        }
        return new V1ObjectMeta { Name = objectName, NamespaceProperty = ns, Labels = labels };
    }
}
