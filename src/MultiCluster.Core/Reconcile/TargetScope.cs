using System.Text.RegularExpressions;

namespace MultiCluster.Core.Reconcile;

/// <summary>
/// Which clusters and namespaces an owner of the engine reaches (a quota policy, an access grant): clusters by label
/// selector (the Overview filter's syntax) or by name, namespaces by label selector and/or name patterns (<c>team-*</c>).
/// The system namespaces are reached only when a pattern names them exactly.
/// </summary>
public sealed partial record TargetScope(string? ClusterSelector, IReadOnlyList<string> Clusters, string? NamespaceSelector, IReadOnlyList<string> NamespacePatterns)
{
    private static readonly HashSet<string> SystemNamespaces = new(StringComparer.Ordinal) { "kube-system", "kube-public", "kube-node-lease" };

    /// <summary>Namespaces no owner reaches unless a pattern names them exactly.</summary>
    public static bool IsSystemNamespace(string name) => SystemNamespaces.Contains(name);

    public bool SelectsCluster(ClusterFacts cluster) =>
        Clusters.Count > 0
            ? Clusters.Contains(cluster.Name, StringComparer.Ordinal)
            : LabelSelector.Parse(ClusterSelector) is ({ } selector, null) && selector.Matches(cluster.Labels);

    /// <summary>Whether the namespace's labels match the selector and its name one of the patterns (each when given).</summary>
    public bool SelectsNamespace(NamespaceFacts ns)
    {
        if (IsSystemNamespace(ns.Name) && !NamespacePatterns.Contains(ns.Name, StringComparer.Ordinal))
        {
            return false;
        }
        if (NamespacePatterns.Count > 0 && !NamespacePatterns.Any(p => Glob(p, ns.Name)))
        {
            return false;
        }
        return LabelSelector.Parse(NamespaceSelector) is ({ } selector, null) && selector.Matches(ns.Labels);
    }

    /// <summary>The namespaces reached, in cluster and name order.</summary>
    public IReadOnlyList<NamespaceFacts> Targets(IEnumerable<ClusterFacts> clusters, IEnumerable<NamespaceFacts> namespaces)
    {
        var selected = clusters.Where(SelectsCluster).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return [.. namespaces.Where(n => selected.Contains(n.Cluster) && SelectsNamespace(n))
            .OrderBy(n => n.Cluster, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal)];
    }

    /// <summary>Which clusters, in words: "prod-eu, prod-us", "labels env=prod" or "every cluster".</summary>
    public string ClustersText =>
        Clusters.Count > 0 ? string.Join(", ", Clusters)
        : string.IsNullOrWhiteSpace(ClusterSelector) ? "every cluster"
        : $"labels {ClusterSelector}";

    /// <summary>Which namespaces, in words: "team-* with labels tier=web", or "every namespace but the system ones".</summary>
    public string NamespacesText =>
        string.Join(" with ", new[] { NamespacePatterns.Count > 0 ? string.Join(", ", NamespacePatterns) : null, string.IsNullOrWhiteSpace(NamespaceSelector) ? null : $"labels {NamespaceSelector}" }
            .OfType<string>().DefaultIfEmpty("every namespace but the system ones"));

    /// <summary>What is wrong with the selection, in plain words; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (ClusterSelector is { Length: > 0 } && Clusters.Count > 0)
        {
            yield return "Choose clusters by a selector or by name, not both.";
        }
        if (LabelSelector.Parse(ClusterSelector).Error is { } clusterError)
        {
            yield return $"Cluster selector: {clusterError}";
        }
        foreach (var cluster in Clusters.Where(c => !ClusterName.IsValid(c)))
        {
            yield return $"'{cluster}' is not a cluster name.";
        }
        if (LabelSelector.Parse(NamespaceSelector).Error is { } namespaceError)
        {
            yield return $"Namespace selector: {namespaceError.Replace("cluster labels", "namespace labels", StringComparison.Ordinal)}";
        }
        foreach (var pattern in NamespacePatterns.Where(p => !NamespacePattern().IsMatch(p)))
        {
            yield return $"'{pattern}' is not a namespace name or pattern: lower-case letters, digits, '-' and '*' (for example team-*).";
        }
    }

    /// <summary><c>*</c> stands for any run of characters; everything else matches itself.</summary>
    public static bool Glob(string pattern, string name)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return pattern == name;
        }
        if (!name.StartsWith(parts[0], StringComparison.Ordinal) || !name.EndsWith(parts[^1], StringComparison.Ordinal) || name.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }
        var at = parts[0].Length;
        var end = name.Length - parts[^1].Length;
        foreach (var middle in parts[1..^1])
        {
            var found = name.IndexOf(middle, at, end - at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }
            at = found + middle.Length;
        }
        return true;
    }

    [GeneratedRegex(@"^[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespacePattern();
}
