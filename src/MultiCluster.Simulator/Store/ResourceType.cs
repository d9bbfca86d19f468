namespace MultiCluster.Simulator.Store;

/// <summary>One served resource (a plural name in a group version), as discovery describes it.</summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    string[] ShortNames,
    string[] Subresources,
    bool HasStatus)
{
    /// <summary>Answered, never stored: the access reviews, whose only verb is create.</summary>
    public bool IsReview { get; init; }

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string Singular => Kind.ToLowerInvariant();

    public string ListKind => Kind + "List";

    /// <summary>
    /// Equal types have the same group and plural, so these two suffice: the compiler's hash of every member cost
    /// four string hashes per lookup of every change in every per-type dictionary.
    /// </summary>
    public override int GetHashCode() => HashCode.Combine(Group, Plural);

    /// <summary>The resource name used in error messages: "pods", or "deployments.apps".</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
