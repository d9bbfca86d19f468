using System.Globalization;
using System.Text.RegularExpressions;

namespace MultiCluster.Core.Quotas;

/// <summary>
/// What is wrong with a policy before anything is written, in kube-apiserver's words where it has them (the same
/// field paths and messages <c>kubectl apply</c> would show), so a policy that saves is one every cluster accepts.
/// </summary>
public static partial class QuotaPolicyValidation
{
    private static readonly HashSet<string> StandardQuotaResources = new(StringComparer.Ordinal)
    {
        "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
        "services.nodeports", "services.loadbalancers", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
        "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    };

    private static readonly HashSet<string> Scopes = new(StringComparer.Ordinal)
    {
        "Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity", "VolumeAttributesClass",
    };

    /// <summary>Every problem of <paramref name="policy"/>, in plain words; empty when it may be saved.</summary>
    public static IReadOnlyList<string> Validate(QuotaPolicy policy)
    {
        var problems = new List<string>();
        if (!DnsLabels.IsValid(policy.Name, 60))
        {
            problems.Add($"'{policy.Name}' is not a valid policy name: use at most 60 lower-case letters, digits and '-', starting and ending with a letter or digit (its objects are named mc-<name>).");
        }
        problems.AddRange(policy.Scope.Problems());
        if (policy.Hard.Count == 0 && policy.Limits.Count == 0)
        {
            problems.Add("A policy sets hard limits, container defaults or both.");
        }
        foreach (var (resource, quantity) in policy.Hard.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            if (!IsQuotaResource(resource))
            {
                problems.Add($"spec.hard[{resource}]: Invalid value: \"{resource}\": must be a standard resource for quota");
            }
            if (Quantities.ValidateLimit(quantity) is { } quantityError)
            {
                problems.Add($"spec.hard[{resource}]: Invalid value: \"{quantity}\": {quantityError}");
            }
        }
        problems.AddRange(policy.Scopes.Where(s => !Scopes.Contains(s)).Select(s => $"spec.scopes: Unsupported value: \"{s}\": supported values: \"{string.Join("\", \"", Scopes.Order(StringComparer.Ordinal))}\""));
        problems.AddRange(policy.Limits.GroupBy(l => l.Type, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"The LimitRange has {g.Count()} items of type {g.Key}; give each type once."));
        for (var i = 0; i < policy.Limits.Count; i++)
        {
            problems.AddRange(ValidateLimit(policy.Limits[i], $"spec.limits[{i}]"));
        }
        return problems;
    }

    /// <summary>Resource names a ResourceQuota takes: the standard ones, <c>count/&lt;resource&gt;[.&lt;group&gt;]</c>, per storage class, hugepages and extended resources.</summary>
    public static bool IsQuotaResource(string name) =>
        StandardQuotaResources.Contains(name) || CountResource().IsMatch(name) || StorageClassResource().IsMatch(name)
        || HugePages().IsMatch(name) || ExtendedResource().IsMatch(name);

    private static IEnumerable<string> ValidateLimit(LimitRangeItem item, string path)
    {
        if (item.Type is not (LimitRangeItem.Container or LimitRangeItem.Pod or LimitRangeItem.PersistentVolumeClaim))
        {
            yield return $"{path}.type: Unsupported value: \"{item.Type}\": supported values: \"Container\", \"PersistentVolumeClaim\", \"Pod\"";
            yield break;
        }
        if (item.Type == LimitRangeItem.Pod && item.Default.Count > 0)
        {
            yield return $"{path}.default: Forbidden: may not be specified when `type` is 'Pod'";
        }
        if (item.Type == LimitRangeItem.Pod && item.DefaultRequest.Count > 0)
        {
            yield return $"{path}.defaultRequest: Forbidden: may not be specified when `type` is 'Pod'";
        }
        if (item.Type == LimitRangeItem.PersistentVolumeClaim && !item.Min.ContainsKey("storage") && !item.Max.ContainsKey("storage"))
        {
            yield return $"{path}.limits: Required value: either minimum or maximum storage value is required, but neither was provided";
        }
        var fields = item.Fields.ToList();
        foreach (var (field, values) in fields)
        {
            foreach (var (resource, quantity) in values)
            {
                if (Quantities.ValidateLimit(quantity) is { } error)
                {
                    yield return $"{path}.{field}[{resource}]: Invalid value: \"{quantity}\": {error}";
                }
            }
        }
        if (fields.Any(f => f.Values.Any(v => !Quantities.IsValid(v.Value))))
        {
            yield break;
        }
        foreach (var resource in fields.SelectMany(f => f.Values.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var min = Find(item.Min, resource);
            var max = Find(item.Max, resource);
            var @default = Find(item.Default, resource);
            var request = Find(item.DefaultRequest, resource);
            var ratio = Find(item.MaxLimitRequestRatio, resource);
            if (min is { } a && max is { } b && a.Value > b.Value)
            {
                yield return $"{path}.min[{resource}]: Invalid value: \"{a.Text}\": min value {a.Text} is greater than max value {b.Text}";
            }
            if (request is { } r1 && min is { } m1 && m1.Value > r1.Value)
            {
                yield return $"{path}.defaultRequest[{resource}]: Invalid value: \"{r1.Text}\": min value {m1.Text} is greater than default request value {r1.Text}";
            }
            if (request is { } r2 && max is { } x2 && r2.Value > x2.Value)
            {
                yield return $"{path}.defaultRequest[{resource}]: Invalid value: \"{r2.Text}\": default request value {r2.Text} is greater than max value {x2.Text}";
            }
            if (request is { } r3 && @default is { } d3 && r3.Value > d3.Value)
            {
                yield return $"{path}.defaultRequest[{resource}]: Invalid value: \"{r3.Text}\": default request value {r3.Text} is greater than default limit value {d3.Text}";
            }
            if (@default is { } d4 && min is { } m4 && m4.Value > d4.Value)
            {
                yield return $"{path}.default[{resource}]: Invalid value: \"{m4.Text}\": min value {m4.Text} is greater than default value {d4.Text}";
            }
            if (@default is { } d5 && max is { } x5 && d5.Value > x5.Value)
            {
                yield return $"{path}.default[{resource}]: Invalid value: \"{x5.Text}\": default value {d5.Text} is greater than max value {x5.Text}";
            }
            if (ratio is { } q && q.Value < 1)
            {
                yield return $"{path}.maxLimitRequestRatio[{resource}]: Invalid value: \"{q.Text}\": ratio {q.Text} is less than 1";
            }
            if (ratio is { } q2 && min is { } m6 && max is { } x6 && m6.Value > 0 && q2.Value > x6.Value / m6.Value)
            {
                yield return $"{path}.maxLimitRequestRatio[{resource}]: Invalid value: \"{q2.Text}\": ratio {q2.Text} is greater than max/min = {(x6.Value / m6.Value).ToString("F6", CultureInfo.InvariantCulture)}";
            }
        }
    }

    private static (string Text, decimal Value)? Find(IReadOnlyDictionary<string, string> values, string resource) =>
        values.TryGetValue(resource, out var text) ? (text, Quantities.Parse(text)) : null;


    [GeneratedRegex(@"^count/[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex CountResource();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\.storageclass\.storage\.k8s\.io/(requests\.storage|persistentvolumeclaims|requests\.ephemeral-storage)$", RegexOptions.CultureInvariant)]
    private static partial Regex StorageClassResource();

    [GeneratedRegex(@"^(requests\.|limits\.)?hugepages-[0-9]+[KMGT]i$", RegexOptions.CultureInvariant)]
    private static partial Regex HugePages();

    [GeneratedRegex(@"^requests\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ExtendedResource();
}
