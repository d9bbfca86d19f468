namespace MultiCluster.Core.VirtualClusters;

/// <summary>
/// What a person asks for when creating a vCluster: where it runs, its name and namespace, the Kubernetes version inside,
/// the isolation around it on its host (quota and limit range values, network policies), how it is exposed and the labels
/// its registered cluster gets.
/// </summary>
public sealed record VirtualClusterSpec
{
    /// <summary>The vcluster release the dashboard installs (the syncer's image tag, shown as the version).</summary>
    public const string DefaultRelease = "0.21.2";

    public const string DefaultKubernetesVersion = "v1.31.1";

    public required string Host { get; init; }

    public required string Name { get; init; }

    /// <summary>Empty means <c>vcluster-&lt;name&gt;</c>.</summary>
    public string? Namespace { get; init; }

    public string KubernetesVersion { get; init; } = DefaultKubernetesVersion;

    public bool Isolation { get; init; } = true;

    public bool NetworkIsolation { get; init; } = true;

    public IReadOnlyDictionary<string, string> Quota { get; init; } = VirtualClusterIsolation.DefaultQuota;

    public IReadOnlyDictionary<string, string> DefaultLimits { get; init; } = VirtualClusterIsolation.DefaultLimits;

    public IReadOnlyDictionary<string, string> DefaultRequests { get; init; } = VirtualClusterIsolation.DefaultRequests;

    /// <summary>How the vCluster's API is reached from outside the host: LoadBalancer (the default), NodePort or ClusterIP.</summary>
    public string ServiceType { get; init; } = "LoadBalancer";

    /// <summary>Labels for the registered cluster, over which the dashboard sets its own (<see cref="VirtualClusterLabels"/>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string EffectiveNamespace => string.IsNullOrWhiteSpace(Namespace) ? VirtualClusterNames.DefaultNamespace(Name) : Namespace.Trim();

    /// <summary>The CPU and memory the quota lets the vCluster request (zero when isolation is off: nothing bounds it).</summary>
    public (decimal Cpu, decimal Memory) RequestedCapacity =>
        Isolation ? (Quantities.Parse(Quota.GetValueOrDefault("requests.cpu")), Quantities.Parse(Quota.GetValueOrDefault("requests.memory"))) : (0, 0);
}

/// <summary>What is wrong with a <see cref="VirtualClusterSpec"/> before anything is sent to the host, in plain words.</summary>
public static partial class VirtualClusterValidation
{
    /// <summary>A StatefulSet's name is at most 52 characters, so that its pods' controller-revision-hash label stays within 63.</summary>
    public const int MaxNameLength = 52;

    public static readonly IReadOnlyList<string> ServiceTypes = ["LoadBalancer", "NodePort", "ClusterIP"];

    public static IReadOnlyList<string> Validate(VirtualClusterSpec spec)
    {
        var problems = new List<string>();
        if (NameProblem(spec.Name) is { } name)
        {
            problems.Add(name);
        }
        var ns = spec.EffectiveNamespace;
        if (!DnsLabels.IsValid(ns))
        {
            problems.Add($"'{ns}' is not a valid namespace: use lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit.");
        }
        else if (ns.StartsWith("kube-", StringComparison.Ordinal) || ns == "default")
        {
            problems.Add($"A vCluster does not go into '{ns}': give it a namespace of its own.");
        }
        if (!KubernetesVersion().IsMatch(spec.KubernetesVersion ?? ""))
        {
            problems.Add($"'{spec.KubernetesVersion}' is not a Kubernetes version: write it as v1.31.1.");
        }
        if (!ServiceTypes.Contains(spec.ServiceType))
        {
            problems.Add($"The service type is one of {string.Join(", ", ServiceTypes)}, not '{spec.ServiceType}'.");
        }
        if (spec.Isolation)
        {
            Quantities("quota", spec.Quota, problems);
            Quantities("default limit", spec.DefaultLimits, problems);
            Quantities("default request", spec.DefaultRequests, problems);
            // The vCluster's own Service lives in the namespace its quota binds.
            var exposedBy = spec.ServiceType switch { "NodePort" => "services.nodeports", "LoadBalancer" => "services.loadbalancers", _ => null };
            if (exposedBy is not null && spec.Quota.TryGetValue(exposedBy, out var allowed) && Core.Quantities.IsValid(allowed) && Core.Quantities.Parse(allowed) < 1)
            {
                problems.Add($"Exposing the vCluster through a {spec.ServiceType} Service takes one of {exposedBy}, but its quota allows {allowed}: raise it or expose it another way.");
            }
            foreach (var (resource, request) in spec.DefaultRequests)
            {
                if (spec.DefaultLimits.TryGetValue(resource, out var limit) && Core.Quantities.IsValid(request) && Core.Quantities.IsValid(limit) &&
                    Core.Quantities.Parse(request) > Core.Quantities.Parse(limit))
                {
                    problems.Add($"The default request of {resource} ({request}) is above its default limit ({limit}).");
                }
            }
        }
        foreach (var (key, value) in spec.Labels)
        {
            if (VirtualClusterLabels.IsReserved(key))
            {
                problems.Add($"The label {key} is set by the dashboard.");
            }
            else if ((ClusterLabels.ValidateKey(key) ?? ClusterLabels.ValidateValue(key, value)) is { } label)
            {
                problems.Add(label);
            }
        }
        return problems;
    }

    /// <summary>Null for a valid vCluster name; otherwise why not.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "A vCluster needs a name.";
        }
        if (name.Length > MaxNameLength)
        {
            return $"A vCluster's name is at most {MaxNameLength} characters (its StatefulSet's limit); '{name}' has {name.Length}.";
        }
        if (!DnsLabels.IsValid(name) || !char.IsAsciiLetterLower(name[0]))
        {
            return $"'{name}' is not a valid vCluster name: use lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (it names a Service).";
        }
        return null;
    }

    private static void Quantities(string what, IReadOnlyDictionary<string, string> values, List<string> problems)
    {
        foreach (var (resource, value) in values)
        {
            if (Core.Quantities.ValidateLimit(value) is { } problem)
            {
                problems.Add($"The {what} of {resource} is '{value}': {problem}.");
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^v1\.[0-9]{1,2}\.[0-9]{1,3}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex KubernetesVersion();
}
