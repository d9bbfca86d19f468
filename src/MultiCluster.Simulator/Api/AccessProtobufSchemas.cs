namespace MultiCluster.Simulator.Api;

/// <summary>
/// The protobuf messages kubectl sends for access control: kubectl create role, clusterrole, rolebinding and
/// clusterrolebinding (rbac/v1 generated.proto), and the reviews of kubectl auth can-i and auth whoami
/// (authorization/v1 and authentication/v1 generated.proto).
/// </summary>
public static class AccessProtobufSchemas
{
    private static readonly ProtoMessage LabelSelector = new()
    {
        [1] = new("matchLabels", ProtoType.StringMap),
        [2] = new("matchExpressions", ProtoType.ObjectList, new()
        {
            [1] = new("key", ProtoType.String), [2] = new("operator", ProtoType.String), [3] = new("values", ProtoType.StringList),
        }),
    };

    private static readonly ProtoMessage PolicyRule = new()
    {
        [1] = new("verbs", ProtoType.StringList), [2] = new("apiGroups", ProtoType.StringList), [3] = new("resources", ProtoType.StringList),
        [4] = new("resourceNames", ProtoType.StringList), [5] = new("nonResourceURLs", ProtoType.StringList),
    };

    private static readonly ProtoMessage Subject = new()
    {
        [1] = new("kind", ProtoType.String), [2] = new("apiGroup", ProtoType.String), [3] = new("name", ProtoType.String), [4] = new("namespace", ProtoType.String),
    };

    private static readonly ProtoMessage RoleRef = new()
    {
        [1] = new("apiGroup", ProtoType.String), [2] = new("kind", ProtoType.String), [3] = new("name", ProtoType.String),
    };

    private static readonly ProtoMessage AggregationRule = new() { [1] = new("clusterRoleSelectors", ProtoType.ObjectList, LabelSelector) };

    private static readonly ProtoMessage ResourceAttributes = new()
    {
        [1] = new("namespace", ProtoType.String), [2] = new("verb", ProtoType.String), [3] = new("group", ProtoType.String),
        [4] = new("version", ProtoType.String), [5] = new("resource", ProtoType.String), [6] = new("subresource", ProtoType.String),
        [7] = new("name", ProtoType.String),
    };

    private static readonly ProtoMessage NonResourceAttributes = new() { [1] = new("path", ProtoType.String), [2] = new("verb", ProtoType.String) };

    private static readonly ProtoMessage SubjectAccessReviewSpec = new()
    {
        [1] = new("resourceAttributes", ProtoType.Object, ResourceAttributes), [2] = new("nonResourceAttributes", ProtoType.Object, NonResourceAttributes),
        [3] = new("user", ProtoType.String), [4] = new("groups", ProtoType.StringList), [6] = new("uid", ProtoType.String),
    };

    private static readonly ProtoMessage SubjectAccessReview = new()
    {
        [1] = new("metadata", ProtoType.Object, ProtobufSchemas.ObjectMeta), [2] = new("spec", ProtoType.Object, SubjectAccessReviewSpec),
        [3] = new("status", ProtoType.Ignore),
    };

    private static readonly ProtoMessage Binding = new()
    {
        [1] = new("metadata", ProtoType.Object, ProtobufSchemas.ObjectMeta), [2] = new("subjects", ProtoType.ObjectList, Subject),
        [3] = new("roleRef", ProtoType.Object, RoleRef),
    };

    public static readonly Dictionary<string, ProtoMessage> Kinds = new()
    {
        ["Role"] = new() { [1] = new("metadata", ProtoType.Object, ProtobufSchemas.ObjectMeta), [2] = new("rules", ProtoType.ObjectList, PolicyRule) },
        ["ClusterRole"] = new()
        {
            [1] = new("metadata", ProtoType.Object, ProtobufSchemas.ObjectMeta), [2] = new("rules", ProtoType.ObjectList, PolicyRule),
            [3] = new("aggregationRule", ProtoType.Object, AggregationRule),
        },
        ["RoleBinding"] = Binding,
        ["ClusterRoleBinding"] = Binding,
        ["SubjectAccessReview"] = SubjectAccessReview,
        ["LocalSubjectAccessReview"] = SubjectAccessReview,
        ["SelfSubjectAccessReview"] = new()
        {
            [1] = new("metadata", ProtoType.Object, ProtobufSchemas.ObjectMeta),
            [2] = new("spec", ProtoType.Object, new()
            {
                [1] = new("resourceAttributes", ProtoType.Object, ResourceAttributes), [2] = new("nonResourceAttributes", ProtoType.Object, NonResourceAttributes),
            }),
            [3] = new("status", ProtoType.Ignore),
        },
        ["SelfSubjectRulesReview"] = new()
        {
            [1] = new("metadata", ProtoType.Object, ProtobufSchemas.ObjectMeta), [2] = new("spec", ProtoType.Object, new() { [1] = new("namespace", ProtoType.String) }),
            [3] = new("status", ProtoType.Ignore),
        },
        ["SelfSubjectReview"] = new() { [1] = new("metadata", ProtoType.Object, ProtobufSchemas.ObjectMeta), [2] = new("status", ProtoType.Ignore) },
    };
}
