namespace MultiCluster.Simulator.Api;

public enum ProtoType
{
    String,
    Bytes,
    Bool,
    /// <summary>A pointer integer: present means set, even to 0.</summary>
    Int,
    /// <summary>A plain integer: Go writes 0 when unset, and JSON omits it.</summary>
    IntOmitZero,
    IntOrString,
    Object,
    ObjectList,
    StringList,
    StringMap,
    BytesMap,
    /// <summary>map&lt;string, resource.Quantity&gt;: each value a Quantity message whose field 1 is its string form.</summary>
    QuantityMap,
    Ignore,
}

public sealed record ProtoField(string Name, ProtoType Type, ProtoMessage? Nested = null);

/// <summary>Field numbers of one Kubernetes protobuf message (from k8s.io/api's generated.proto), by JSON name.</summary>
public sealed class ProtoMessage : Dictionary<int, ProtoField>;

/// <summary>
/// The messages kubectl's typed commands send as protobuf (create namespace, configmap, secret, serviceaccount,
/// deployment, service, quota) and LimitRanges. Only these are decoded; a non-empty field outside them is refused rather than dropped.
/// </summary>
public static class ProtobufSchemas
{

    private static readonly ProtoMessage OwnerReference = new()
    {
        [1] = new("kind", ProtoType.String), [3] = new("name", ProtoType.String), [4] = new("uid", ProtoType.String),
        [5] = new("apiVersion", ProtoType.String), [6] = new("controller", ProtoType.Bool), [7] = new("blockOwnerDeletion", ProtoType.Bool),
    };

    public static readonly ProtoMessage ObjectMeta = new()
    {
        [1] = new("name", ProtoType.String), [2] = new("generateName", ProtoType.String), [3] = new("namespace", ProtoType.String),
        [4] = new("selfLink", ProtoType.Ignore), [5] = new("uid", ProtoType.String), [6] = new("resourceVersion", ProtoType.String),
        [7] = new("generation", ProtoType.Ignore), [8] = new("creationTimestamp", ProtoType.Ignore),
        [11] = new("labels", ProtoType.StringMap), [12] = new("annotations", ProtoType.StringMap),
        [13] = new("ownerReferences", ProtoType.ObjectList, OwnerReference), [14] = new("finalizers", ProtoType.StringList),
        [17] = new("managedFields", ProtoType.Ignore),
    };

    private static readonly ProtoMessage LocalObjectReference = new() { [1] = new("name", ProtoType.String) };

    private static readonly ProtoMessage LabelSelector = new() { [1] = new("matchLabels", ProtoType.StringMap) };

    private static readonly ProtoMessage ContainerPort = new()
    {
        [1] = new("name", ProtoType.String), [2] = new("hostPort", ProtoType.IntOmitZero), [3] = new("containerPort", ProtoType.IntOmitZero),
        [4] = new("protocol", ProtoType.String), [5] = new("hostIP", ProtoType.String),
    };

    private static readonly ProtoMessage EnvVar = new() { [1] = new("name", ProtoType.String), [2] = new("value", ProtoType.String) };

    private static readonly ProtoMessage ResourceRequirements = new() { [1] = new("limits", ProtoType.QuantityMap), [2] = new("requests", ProtoType.QuantityMap) };

    private static readonly ProtoMessage Container = new()
    {
        [1] = new("name", ProtoType.String), [2] = new("image", ProtoType.String), [3] = new("command", ProtoType.StringList),
        [4] = new("args", ProtoType.StringList), [5] = new("workingDir", ProtoType.String), [6] = new("ports", ProtoType.ObjectList, ContainerPort),
        [7] = new("env", ProtoType.ObjectList, EnvVar), [8] = new("resources", ProtoType.Object, ResourceRequirements),
        [13] = new("terminationMessagePath", ProtoType.String), [14] = new("imagePullPolicy", ProtoType.String),
        [20] = new("terminationMessagePolicy", ProtoType.String),
    };

    private static readonly ProtoMessage PodSpec = new()
    {
        [2] = new("containers", ProtoType.ObjectList, Container), [3] = new("restartPolicy", ProtoType.String),
        [6] = new("dnsPolicy", ProtoType.String), [7] = new("nodeSelector", ProtoType.StringMap), [8] = new("serviceAccountName", ProtoType.String),
        [10] = new("nodeName", ProtoType.String), [19] = new("schedulerName", ProtoType.String),
    };

    private static readonly ProtoMessage PodTemplateSpec = new() { [1] = new("metadata", ProtoType.Object, ObjectMeta), [2] = new("spec", ProtoType.Object, PodSpec) };

    private static readonly ProtoMessage DeploymentSpec = new()
    {
        [1] = new("replicas", ProtoType.Int), [2] = new("selector", ProtoType.Object, LabelSelector), [3] = new("template", ProtoType.Object, PodTemplateSpec),
        [5] = new("minReadySeconds", ProtoType.IntOmitZero), [6] = new("revisionHistoryLimit", ProtoType.Int), [7] = new("paused", ProtoType.Bool),
        [9] = new("progressDeadlineSeconds", ProtoType.Int),
    };

    private static readonly ProtoMessage ServicePort = new()
    {
        [1] = new("name", ProtoType.String), [2] = new("protocol", ProtoType.String), [3] = new("port", ProtoType.IntOmitZero),
        [4] = new("targetPort", ProtoType.IntOrString), [5] = new("nodePort", ProtoType.IntOmitZero), [6] = new("appProtocol", ProtoType.String),
    };

    private static readonly ProtoMessage ServiceSpec = new()
    {
        [1] = new("ports", ProtoType.ObjectList, ServicePort), [2] = new("selector", ProtoType.StringMap), [3] = new("clusterIP", ProtoType.String),
        [4] = new("type", ProtoType.String), [5] = new("externalIPs", ProtoType.StringList), [7] = new("sessionAffinity", ProtoType.String),
        [8] = new("loadBalancerIP", ProtoType.String), [10] = new("externalName", ProtoType.String), [11] = new("externalTrafficPolicy", ProtoType.String),
    };

    private static readonly ProtoMessage ScopeSelector = new()
    {
        [1] = new("matchExpressions", ProtoType.ObjectList, new()
        {
            [1] = new("scopeName", ProtoType.String), [2] = new("operator", ProtoType.String), [3] = new("values", ProtoType.StringList),
        }),
    };

    private static readonly ProtoMessage ResourceQuotaSpec = new()
    {
        [1] = new("hard", ProtoType.QuantityMap), [2] = new("scopes", ProtoType.StringList), [3] = new("scopeSelector", ProtoType.Object, ScopeSelector),
    };

    private static readonly ProtoMessage LimitRangeItem = new()
    {
        [1] = new("type", ProtoType.String), [2] = new("max", ProtoType.QuantityMap), [3] = new("min", ProtoType.QuantityMap),
        [4] = new("default", ProtoType.QuantityMap), [5] = new("defaultRequest", ProtoType.QuantityMap), [6] = new("maxLimitRequestRatio", ProtoType.QuantityMap),
    };

    public static readonly Dictionary<string, ProtoMessage> Kinds = new()
    {
        ["ResourceQuota"] = new()
        {
            [1] = new("metadata", ProtoType.Object, ObjectMeta), [2] = new("spec", ProtoType.Object, ResourceQuotaSpec),
            [3] = new("status", ProtoType.Object, new() { [1] = new("hard", ProtoType.QuantityMap), [2] = new("used", ProtoType.QuantityMap) }),
        },
        ["LimitRange"] = new()
        {
            [1] = new("metadata", ProtoType.Object, ObjectMeta),
            [2] = new("spec", ProtoType.Object, new() { [1] = new("limits", ProtoType.ObjectList, LimitRangeItem) }),
        },
        ["Service"] = new() { [1] = new("metadata", ProtoType.Object, ObjectMeta), [2] = new("spec", ProtoType.Object, ServiceSpec) },
        ["Namespace"] = new() { [1] = new("metadata", ProtoType.Object, ObjectMeta), [2] = new("spec", ProtoType.Object, new() { [1] = new("finalizers", ProtoType.StringList) }) },
        ["ConfigMap"] = new()
        {
            [1] = new("metadata", ProtoType.Object, ObjectMeta), [2] = new("data", ProtoType.StringMap), [3] = new("binaryData", ProtoType.BytesMap),
            [4] = new("immutable", ProtoType.Bool),
        },
        ["Secret"] = new()
        {
            [1] = new("metadata", ProtoType.Object, ObjectMeta), [2] = new("data", ProtoType.BytesMap), [3] = new("type", ProtoType.String),
            [4] = new("stringData", ProtoType.StringMap), [5] = new("immutable", ProtoType.Bool),
        },
        ["ServiceAccount"] = new()
        {
            [1] = new("metadata", ProtoType.Object, ObjectMeta), [3] = new("imagePullSecrets", ProtoType.ObjectList, LocalObjectReference),
            [4] = new("automountServiceAccountToken", ProtoType.Bool),
        },
        ["Deployment"] = new() { [1] = new("metadata", ProtoType.Object, ObjectMeta), [2] = new("spec", ProtoType.Object, DeploymentSpec) },
    };
}
