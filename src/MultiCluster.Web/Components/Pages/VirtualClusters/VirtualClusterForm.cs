using MultiCluster.Core;
using MultiCluster.Core.VirtualClusters;

namespace MultiCluster.Web.Components.Pages.VirtualClusters;

/// <summary>One editable value of the create dialog's isolation grids: a quota resource, or a container default.</summary>
public sealed class ResourceValue(string resource, string value)
{
    public string Resource { get; } = resource;

    public string Value { get; set; } = value;
}

/// <summary>
/// What the create dialog is bound to, prefilled with vCluster's defaults, and the <see cref="VirtualClusterSpec"/> it
/// stands for. An emptied isolation value is left out (no bound for that resource), as the Quotas editor does.
/// </summary>
public sealed class VirtualClusterForm
{
    public string? Host { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string KubernetesVersion { get; set; } = VirtualClusterSpec.DefaultKubernetesVersion;

    public string ServiceType { get; set; } = VirtualClusterValidation.ServiceTypes[0];

    public bool Isolation { get; set; } = true;

    public bool NetworkIsolation { get; set; } = true;

    /// <summary><c>key=value, key=value</c>, for the registered cluster.</summary>
    public string? Labels { get; set; }

    public IReadOnlyList<ResourceValue> Quota { get; } = Values(VirtualClusterIsolation.DefaultQuota);

    public IReadOnlyList<ResourceValue> DefaultRequests { get; } = Values(VirtualClusterIsolation.DefaultRequests);

    public IReadOnlyList<ResourceValue> DefaultLimits { get; } = Values(VirtualClusterIsolation.DefaultLimits);

    /// <summary>The namespace used when none is typed, for the field's placeholder.</summary>
    public string NamespacePlaceholder => VirtualClusterNames.DefaultNamespace(string.IsNullOrWhiteSpace(Name) ? "<name>" : Name.Trim());

    /// <summary>Null while the name is fine (or not typed yet), so the field does not scold before anything is typed.</summary>
    public string? NameProblem => Name is null ? null : VirtualClusterValidation.NameProblem(Name.Trim());

    public VirtualClusterSpec ToSpec() => new()
    {
        Host = Host ?? "",
        Name = Name?.Trim() ?? "",
        Namespace = string.IsNullOrWhiteSpace(Namespace) ? null : Namespace.Trim(),
        KubernetesVersion = KubernetesVersion.Trim(),
        ServiceType = ServiceType,
        Isolation = Isolation,
        NetworkIsolation = Isolation && NetworkIsolation,
        Quota = Filled(Quota),
        DefaultRequests = Filled(DefaultRequests),
        DefaultLimits = Filled(DefaultLimits),
        Labels = ClusterLabels.Parse(Labels).Labels,
    };

    /// <summary>Everything that keeps Create disabled, in plain words: no host, unreadable labels, and the spec's own problems.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(Host))
        {
            problems.Add("Choose the host cluster the vCluster runs in.");
        }
        if (ClusterLabels.Parse(Labels).Error is { } labels)
        {
            problems.Add(labels);
        }
        var spec = ToSpec();
        // A namespace left to be derived is only as good as the name, whose problem is listed already.
        if (spec.Namespace is null && VirtualClusterValidation.NameProblem(spec.Name) is not null)
        {
            spec = spec with { Namespace = VirtualClusterNames.DefaultNamespace("name") };
        }
        problems.AddRange(VirtualClusterValidation.Validate(spec));
        return problems;
    }

    private static List<ResourceValue> Values(IReadOnlyDictionary<string, string> defaults) =>
        [.. defaults.Select(d => new ResourceValue(d.Key, d.Value))];

    private static SortedDictionary<string, string> Filled(IEnumerable<ResourceValue> values) =>
        new(values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).ToDictionary(v => v.Resource, v => v.Value.Trim(), StringComparer.Ordinal), StringComparer.Ordinal);
}

/// <summary>A column of an isolation grid: its key (for test ids) and its heading.</summary>
public sealed record IsolationColumn(string Key, string Label);

/// <summary>A row of an isolation grid: a resource and its value in each column.</summary>
public sealed record IsolationRow(string Resource, IReadOnlyList<ResourceValue> Cells);
