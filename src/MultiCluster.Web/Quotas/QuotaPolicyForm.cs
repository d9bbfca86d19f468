using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Web.Quotas;

/// <summary>
/// A quota policy as the editor holds it while someone types: text as typed (nothing is parsed until the policy is
/// built), hard limits as rows, the LimitRange as one grid per type. <see cref="ToPolicy"/> builds the policy the
/// service saves and <see cref="Problems"/> says what stops it, in kube-apiserver's words where it has them.
/// </summary>
public sealed class QuotaPolicyForm
{
    /// <summary>The LimitRange fields in Kubernetes' order (default, defaultRequest, min, max, maxLimitRequestRatio).</summary>
    public static readonly IReadOnlyList<string> LimitFields = [.. new LimitRangeItem { Type = "" }.Fields.Select(f => f.Name)];

    private QuotaPolicyForm(long? generation)
    {
        Generation = generation;
        Container = new LimitGrid(LimitRangeItem.Container, LimitFields, ["cpu", "memory"]);
        Pod = new LimitGrid(LimitRangeItem.Pod, ["max"], ["cpu", "memory"]);
        Claim = new LimitGrid(LimitRangeItem.PersistentVolumeClaim, ["min", "max"], ["storage"]);
    }

    /// <summary>The generation the editor started from (sent with the save, so a change made meanwhile is not overwritten); null for a new policy.</summary>
    public long? Generation { get; }

    public bool IsNew => Generation is null;

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public PolicyMode Mode { get; set; } = PolicyMode.Enforce;

    public int Priority { get; set; }

    /// <summary>Clusters picked by name (<see cref="Clusters"/>) rather than by their labels (<see cref="ClusterSelector"/>).</summary>
    public bool ClustersByName { get; set; }

    public string? ClusterSelector { get; set; }

    public IReadOnlyCollection<string> Clusters { get; set; } = [];

    public string? NamespaceSelector { get; set; }

    /// <summary>Namespace names or patterns, separated by commas or spaces: <c>team-*, shop</c>.</summary>
    public string? NamespacePatterns { get; set; }

    public List<HardLimit> Hard { get; } = [];

    /// <summary>ResourceQuota scopes, separated by commas or spaces.</summary>
    public string? Scopes { get; set; }

    public LimitGrid Container { get; }

    public LimitGrid Pod { get; }

    /// <summary>The PersistentVolumeClaim item.</summary>
    public LimitGrid Claim { get; }

    public IEnumerable<LimitGrid> Limits => [Container, Pod, Claim];

    /// <summary>An empty form with one hard-limit row to type into.</summary>
    public static QuotaPolicyForm Create()
    {
        var form = new QuotaPolicyForm(null);
        form.Hard.Add(new HardLimit());
        return form;
    }

    /// <summary>The form for changing <paramref name="policy"/>; everything it holds shows (resources beyond cpu and memory get rows of their own).</summary>
    public static QuotaPolicyForm Edit(QuotaPolicy policy)
    {
        var form = new QuotaPolicyForm(policy.Generation)
        {
            Name = policy.Name, Description = policy.Description, Mode = policy.Mode, Priority = policy.Priority,
            ClustersByName = policy.Clusters.Count > 0, ClusterSelector = policy.ClusterSelector, Clusters = [.. policy.Clusters],
            NamespaceSelector = policy.NamespaceSelector, NamespacePatterns = string.Join(", ", policy.NamespacePatterns), Scopes = string.Join(", ", policy.Scopes),
        };
        form.Hard.AddRange(policy.Hard.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new HardLimit { Resource = h.Key, Quantity = h.Value }));
        foreach (var item in policy.Limits)
        {
            form.Limits.FirstOrDefault(g => g.Type == item.Type)?.Load(item);
        }
        return form;
    }

    public QuotaPolicy ToPolicy() => new()
    {
        Name = Name.Trim(),
        Description = Blank(Description),
        Mode = Mode,
        Priority = Priority,
        ClusterSelector = ClustersByName ? null : Blank(ClusterSelector),
        Clusters = ClustersByName ? [.. Clusters] : [],
        NamespaceSelector = Blank(NamespaceSelector),
        NamespacePatterns = Words(NamespacePatterns),
        Hard = HardRows().Where(h => h.Resource.Length > 0).GroupBy(h => h.Resource, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Quantity, StringComparer.Ordinal),
        Scopes = Words(Scopes),
        Limits = [.. Limits.Select(g => g.ToItem()).OfType<LimitRangeItem>()],
        Generation = Generation ?? 1,
    };

    /// <summary>What stops the policy from saving: the form's own slips, then every problem the API server would name.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ClustersByName && !Clusters.Any())
        {
            problems.Add("Pick at least one cluster, or choose clusters by their labels.");
        }
        var rows = HardRows().ToList();
        problems.AddRange(rows.Where(h => h.Resource.Length == 0).Select(h => $"The hard limit {h.Quantity} names no resource: write one such as requests.cpu or pods."));
        problems.AddRange(rows.Where(h => h.Resource.Length > 0).GroupBy(h => h.Resource, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"The hard limit {g.Key} is given {g.Count()} times; give each resource once."));
        problems.AddRange(QuotaPolicyValidation.Validate(ToPolicy()));
        return problems;
    }

    private IEnumerable<HardLimit> HardRows() =>
        Hard.Select(h => new HardLimit { Resource = h.Resource.Trim(), Quantity = h.Quantity.Trim() }).Where(h => h.Resource.Length > 0 || h.Quantity.Length > 0);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static List<string> Words(string? text) =>
        [.. (text ?? "").Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

/// <summary>One row of the ResourceQuota's hard limits.</summary>
public sealed class HardLimit
{
    public string Resource { get; set; } = "";

    public string Quantity { get; set; } = "";
}

/// <summary>One LimitRange item as a grid: a row per resource, a column per field; empty cells are left out.</summary>
public sealed class LimitGrid
{
    private readonly List<string> _fields;
    private readonly List<LimitRow> _rows;

    public LimitGrid(string type, IEnumerable<string> fields, IEnumerable<string> resources)
    {
        Type = type;
        _fields = [.. fields];
        _rows = [.. resources.Select(r => new LimitRow(r, QuotaPolicyForm.LimitFields))];
    }

    public string Type { get; }

    /// <summary>The fields shown as columns: the usual ones for the type, and any other a stored policy sets.</summary>
    public IReadOnlyList<string> Fields => _fields;

    public IReadOnlyList<LimitRow> Rows => _rows;

    public bool IsEmpty => _rows.All(r => r.Values.Values.All(string.IsNullOrWhiteSpace));

    internal void Load(LimitRangeItem item)
    {
        foreach (var (field, values) in item.Fields)
        {
            foreach (var (resource, quantity) in values)
            {
                if (!_fields.Contains(field))
                {
                    _fields.Add(field);
                    var order = QuotaPolicyForm.LimitFields.ToList();
                    _fields.Sort((a, b) => order.IndexOf(a).CompareTo(order.IndexOf(b)));
                }
                var row = _rows.FirstOrDefault(r => r.Resource == resource);
                if (row is null)
                {
                    row = new LimitRow(resource, QuotaPolicyForm.LimitFields);
                    _rows.Add(row);
                }
                row.Values[field] = quantity;
            }
        }
    }

    /// <summary>The item, or null when no cell is filled in.</summary>
    public LimitRangeItem? ToItem()
    {
        if (IsEmpty)
        {
            return null;
        }
        var fields = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var row in _rows)
        {
            foreach (var (field, value) in row.Values.Where(v => !string.IsNullOrWhiteSpace(v.Value)))
            {
                (fields.TryGetValue(field, out var values) ? values : fields[field] = new(StringComparer.Ordinal))[row.Resource] = value!.Trim();
            }
        }
        return LimitRangeItem.Of(Type, fields);
    }
}

/// <summary>One resource of a <see cref="LimitGrid"/>: a cell per field, bound to the editor's inputs.</summary>
public sealed class LimitRow(string resource, IEnumerable<string> fields)
{
    public string Resource { get; } = resource;

    public Dictionary<string, string?> Values { get; } = fields.ToDictionary(f => f, _ => (string?)null, StringComparer.Ordinal);
}
