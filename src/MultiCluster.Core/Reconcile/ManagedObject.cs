namespace MultiCluster.Core.Reconcile;

/// <summary>
/// An object the engine writes into a cluster (a ResourceQuota, a LimitRange, later RoleBindings), or one it observed
/// there, reduced to what the engine compares: its identity, its labels and annotations, and the fields it owns,
/// flattened to paths (<c>spec.hard.pods</c>, <c>spec.limits[Container].default.cpu</c>) so a difference is a list.
/// </summary>
public sealed record ManagedObject(
    string Cluster,
    string Kind,
    string? Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>The version the cluster gave the object (observed objects only); not compared, it says whether a read is newer.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Cluster, kind, namespace and name: one target of the engine.</summary>
    public string Key => KeyOf(Cluster, Kind, Namespace, Name);

    public static string KeyOf(string cluster, string kind, string? ns, string name) => $"{cluster}/{kind}/{ns}/{name}";

    /// <summary>The owner this object names in its labels (<see cref="ManagedLabels.OwnerOf"/>), or null when it is not ours.</summary>
    public string? Owner(string ownerKind) => ManagedLabels.OwnerOf(Labels, ownerKind);

    /// <summary>The owner's generation this object was written from, or null when it says none.</summary>
    public long? Generation =>
        Annotations.TryGetValue(ManagedLabels.GenerationAnnotation, out var text) && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation)
            ? generation
            : null;
}

/// <summary>The labels and annotation that say an object is the dashboard's, and which of its records wrote it.</summary>
public static class ManagedLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "multicluster";
    public const string AnnotationPrefix = "multicluster.io/";
    public const string GenerationAnnotation = AnnotationPrefix + "generation";

    /// <summary>The label naming the owner: <c>multicluster.io/policy</c> for quota policies, later grants and vClusters.</summary>
    public static string OwnerLabel(string ownerKind) => $"multicluster.io/{ownerKind}";

    public static IReadOnlyDictionary<string, string> For(string ownerKind, string owner) =>
        new SortedDictionary<string, string>(StringComparer.Ordinal) { [ManagedBy] = ManagedByValue, [OwnerLabel(ownerKind)] = owner };

    /// <summary>The annotations of an object written from the owner's <paramref name="generation"/>.</summary>
    public static IReadOnlyDictionary<string, string> Annotations(long generation) =>
        new SortedDictionary<string, string>(StringComparer.Ordinal) { [GenerationAnnotation] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>The owner named by <paramref name="labels"/> when they say the object is the dashboard's; otherwise null.</summary>
    public static string? OwnerOf(IReadOnlyDictionary<string, string> labels, string ownerKind) =>
        labels.TryGetValue(ManagedBy, out var by) && by == ManagedByValue && labels.TryGetValue(OwnerLabel(ownerKind), out var owner) ? owner : null;
}
