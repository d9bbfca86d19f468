using System.Text.Json.Nodes;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// metadata.managedFields, kept as kube-apiserver's field manager keeps them: an Update entry per manager that
/// created, replaced or patched (it owns what it added or changed, taking those fields from others), an Apply
/// entry per server-side applier (it owns exactly what it applied; what it applied before and no longer does is
/// removed unless another manager owns it), conflicts with other owners refused unless forced.
/// </summary>
public static class ManagedFields
{
    private const string Apply = "Apply";
    private const string Update = "Update";

    /// <summary>A create (<paramref name="old"/> null), replace or patch by <paramref name="manager"/>.</summary>
    public static void RecordUpdate(ResourceType type, JsonObject? old, JsonObject updated, string manager, DateTimeOffset now)
    {
        var entries = Read(updated);
        var changed = FieldSet.Changed(old, updated);
        if (!changed.IsEmpty)
        {
            var own = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == Update);
            foreach (var path in changed.Paths())
            {
                foreach (var other in entries.Where(e => e != own))
                {
                    other.Fields.Remove(path);
                }
            }
            if (own is null)
            {
                entries.Add(own = new Entry(manager, Update, new FieldSet()));
            }
            foreach (var path in changed.Paths())
            {
                own.Fields.Add(path);
            }
            (own.ApiVersion, own.Time) = (type.GroupVersion, ClusterStore.Timestamp(now));
        }
        Write(updated, entries);
    }

    /// <summary>Server-side apply of <paramref name="applied"/> onto <paramref name="current"/> by <paramref name="manager"/>; returns the new object.</summary>
    public static JsonObject ApplyTo(ResourceType type, JsonObject current, JsonObject applied, string manager, bool force, DateTimeOffset now)
    {
        QuantityFields.Normalize(type, applied);
        var entries = Read(current);
        var own = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == Apply);
        var others = entries.Where(e => e != own).ToList();
        var fields = FieldSet.Of(applied);
        // Conflicts are on values: a list item itself (k:{...}) has none, only its fields do.
        var conflicts = fields.Paths()
            .Where(p => !p[^1].StartsWith("k:", StringComparison.Ordinal) && FieldSet.Exists(current, p, out var live) && FieldSet.Exists(applied, p, out var wanted) && !JsonNode.DeepEquals(live, wanted))
            .SelectMany(p => others.Where(o => o.Fields.Contains(p)).Select(o => (Owner: o, Path: p)))
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw Conflict(type, (string?)current["metadata"]?["name"] ?? "", conflicts);
        }
        foreach (var (owner, path) in conflicts)
        {
            owner.Fields.Remove(path);
        }
        var result = Patching.Apply(Patching.ApplyPatch, current, applied);
        foreach (var path in own?.Fields.Paths() ?? [])
        {
            if (!fields.Covers(path) && !others.Any(o => o.Fields.Covers(path)))
            {
                FieldSet.RemoveFrom(result, path);
            }
        }
        if (own is null)
        {
            entries.Add(own = new Entry(manager, Apply, new FieldSet()));
        }
        if (!own.Fields.SetEquals(fields) || own.Time is null)
        {
            (own.Fields, own.Time) = (fields, ClusterStore.Timestamp(now));
        }
        own.ApiVersion = type.GroupVersion;
        Write(result, entries);
        return result;
    }

    /// <summary>The managedFields of an object an apply creates: the applier owns what it sent.</summary>
    public static void RecordApplyCreate(ResourceType type, JsonObject applied, string manager, DateTimeOffset now) =>
        Write(applied, [new Entry(manager, Apply, FieldSet.Of(applied)) { ApiVersion = type.GroupVersion, Time = ClusterStore.Timestamp(now) }]);

    private static List<Entry> Read(JsonObject obj) =>
        [.. (obj["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>().Select(e =>
            new Entry((string?)e["manager"] ?? "", (string?)e["operation"] ?? Update, FieldSet.Parse(e["fieldsV1"]))
            {
                ApiVersion = (string?)e["apiVersion"] ?? "",
                Time = (string?)e["time"],
                Subresource = (string?)e["subresource"],
            })];

    /// <summary>Writes the entries that still own a field of the object, in kube's order (Apply before Update, then by time and manager).</summary>
    private static void Write(JsonObject obj, List<Entry> entries)
    {
        foreach (var entry in entries)
        {
            entry.Fields.KeepExisting(obj);
        }
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        var kept = entries.Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal).ThenBy(e => e.Time, StringComparer.Ordinal).ThenBy(e => e.Manager, StringComparer.Ordinal).ToList();
        if (kept.Count == 0)
        {
            metadata.Remove("managedFields");
            return;
        }
        metadata["managedFields"] = new JsonArray([.. kept.Select(e => (JsonNode)e.ToJson())]);
    }

    /// <summary>409 in the words of kube-apiserver's field manager (internal/conflict.go).</summary>
    private static ApiException Conflict(ResourceType type, string name, List<(Entry Owner, string[] Path)> conflicts)
    {
        string Owner(Entry e) => e.Operation == Update ? $"\"{e.Manager}\" using {e.ApiVersion}" : $"\"{e.Manager}\"";
        var message = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: conflict with {Owner(conflicts[0].Owner)}: {FieldSet.Display(conflicts[0].Path)}"
            : $"Apply failed with {conflicts.Count} conflicts: " + string.Join('\n', conflicts.GroupBy(c => Owner(c.Owner)).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => g.Select(c => $"- {FieldSet.Display(c.Path)}").Prepend($"conflicts with {g.Key}:")));
        return new ApiException(409, "Conflict", message, name, type.Plural, type.Group)
        {
            Causes = [.. conflicts.Select(c => ("FieldManagerConflict", $"conflict with {Owner(c.Owner)}", FieldSet.Display(c.Path)))],
        };
    }

    private sealed class Entry(string manager, string operation, FieldSet fields)
    {
        public string Manager { get; } = manager;

        public string Operation { get; } = operation;

        public FieldSet Fields { get; set; } = fields;

        public string ApiVersion { get; set; } = "";

        public string? Time { get; set; }

        public string? Subresource { get; init; }

        public JsonObject ToJson()
        {
            var json = new JsonObject
            {
                ["manager"] = Manager,
                ["operation"] = Operation,
                ["apiVersion"] = ApiVersion,
                ["time"] = Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = Fields.ToJson(),
            };
            if (Subresource is not null)
            {
                json["subresource"] = Subresource;
            }
            return json;
        }
    }
}
