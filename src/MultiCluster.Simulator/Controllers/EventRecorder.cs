using System.Text.Json;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>Writes core/v1 Events about what the simulated components do, aggregated as client-go's recorder does, keeping only the newest (like the event TTL).</summary>
internal sealed class EventRecorder(ClusterStore store, int capacity = 2000)
{
    private readonly Queue<(string Namespace, string Name)> _recorded = new();
    private readonly Dictionary<(string Uid, string Reason, string Message), (string Namespace, string Name)> _latest = [];
    private readonly Dictionary<(string Uid, string Type, string Reason, string Component), (HashSet<string> Messages, DateTimeOffset Last)> _similar = [];

    private const string Combined = "(combined from similar events): ";
    private const int AggregationThreshold = 10;
    private static readonly TimeSpan AggregationWindow = TimeSpan.FromMinutes(10);

    public void Normal(JsonObject involved, string reason, string message, string component) => Record(Involved.Of(involved), "Normal", reason, message, component);

    public void Warning(JsonObject involved, string reason, string message, string component) => Record(Involved.Of(involved), "Warning", reason, message, component);

    /// <summary>An event about a stored object, told from its stored facts (at scale, most events are about pods that need no parsing).</summary>
    public void Normal(StoredObject involved, string reason, string message, string component) => Record(Involved.Of(involved), "Normal", reason, message, component);

    public void Warning(StoredObject involved, string reason, string message, string component) => Record(Involved.Of(involved), "Warning", reason, message, component);

    private void Record(Involved involved, string type, string reason, string message, string component)
    {
        var identity = (involved.Uid ?? "", reason, message);
        // Like client-go's EventAggregator: from the tenth distinct message of one kind about one object within ten
        // minutes, they share one event, "(combined from similar events): <latest>", whose count rises.
        var similar = (identity.Item1, type, reason, component);
        var now = store.Time.GetUtcNow();
        if (!_similar.TryGetValue(similar, out var record) || now - record.Last > AggregationWindow)
        {
            record = (new HashSet<string>(StringComparer.Ordinal), now);
        }
        record.Messages.Add(message);
        _similar[similar] = (record.Messages, now);
        if (record.Messages.Count >= AggregationThreshold)
        {
            record.Messages.Remove(record.Messages.First());
            message = Combined + message;
            identity = (identity.Item1, reason, Combined);
        }
        // Repeats of the same event (or of the combined one) are one event with a rising count, as the event broadcaster does.
        if (_latest.TryGetValue(identity, out var existing) &&
            store.Mutate(ResourceCatalog.Events, existing.Namespace, existing.Name, e =>
            {
                e["count"] = (JsonNumber.Long(e["count"]) ?? 1) + 1;
                e["lastTimestamp"] = ClusterStore.Timestamp(now);
                e["message"] = message;
                return true;
            }) is not null)
        {
            return;
        }
        var ns = involved.Namespace ?? "default";
        var stamp = ClusterStore.Timestamp(now);
        var name = $"{involved.Name}.{Random.Shared.NextInt64():x16}";
        try
        {
            // Written straight to bytes; read back as a tree for the ordinary create only where a quota of the namespace may count events.
            Action<Utf8JsonWriter> body = writer => Write(writer, involved, type, reason, message, component, stamp);
            if (store.CreateWritten(ResourceCatalog.Events, ns, name, involved.Fields(reason, type, component), body) is null)
            {
                store.Create(ResourceCatalog.Events, ns, Tree(ns, name, body));
            }
        }
        catch (Api.ApiException)
        {
            return; // The namespace is going away; its events go with it.
        }
        _recorded.Enqueue((ns, name));
        _latest[identity] = (ns, name);
        while (_recorded.Count > capacity)
        {
            var (oldNamespace, oldName) = _recorded.Dequeue();
            store.Remove(ResourceCatalog.Events, oldNamespace, oldName);
        }
        if (_latest.Count > capacity * 2)
        {
            _latest.Clear();
            _similar.Clear();
        }
    }

    /// <summary>An event's properties after its metadata.</summary>
    private static void Write(Utf8JsonWriter writer, Involved involved, string type, string reason, string message, string component, string stamp)
    {
        writer.WriteStartObject("involvedObject"u8);
        writer.WriteString("kind"u8, involved.Kind);
        writer.WriteString("namespace"u8, involved.Namespace);
        writer.WriteString("name"u8, involved.Name);
        writer.WriteString("uid"u8, involved.Uid);
        writer.WriteString("apiVersion"u8, involved.ApiVersion);
        writer.WriteString("resourceVersion"u8, involved.ResourceVersion);
        writer.WriteEndObject();
        writer.WriteString("reason"u8, reason);
        writer.WriteString("message"u8, message);
        writer.WriteStartObject("source"u8);
        writer.WriteString("component"u8, component);
        writer.WriteEndObject();
        writer.WriteString("firstTimestamp"u8, stamp);
        writer.WriteString("lastTimestamp"u8, stamp);
        writer.WriteNumber("count"u8, 1);
        writer.WriteString("type"u8, type);
        writer.WriteNull("eventTime"u8);
        writer.WriteString("reportingComponent"u8, component);
        writer.WriteString("reportingInstance"u8, "");
    }

    /// <summary>The same event as a tree, for the ordinary create: its name and namespace, and what <paramref name="body"/> writes.</summary>
    private static JsonObject Tree(string ns, string name, Action<Utf8JsonWriter> body)
    {
        var writer = JsonWire.ReusedWriter();
        writer.WriteStartObject();
        writer.WriteStartObject("metadata"u8);
        writer.WriteString("name"u8, name);
        writer.WriteString("namespace"u8, ns);
        writer.WriteEndObject();
        body(writer);
        writer.WriteEndObject();
        return JsonNode.Parse(JsonWire.Written(writer).Span)!.AsObject();
    }

    /// <summary>The object an event is about, as involvedObject names it.</summary>
    private sealed record Involved(string? Kind, string? ApiVersion, string? Namespace, string Name, string? Uid, string? ResourceVersion)
    {
        /// <summary>The field-selector values of an event about it, as FieldIndex reads them off the event's tree.</summary>
        public (string Field, string? Value)[] Fields(string reason, string type, string component) =>
        [
            ("involvedObject.kind", Kind), ("involvedObject.namespace", Namespace), ("involvedObject.name", Name), ("involvedObject.uid", Uid),
            ("involvedObject.apiVersion", ApiVersion), ("involvedObject.resourceVersion", ResourceVersion), ("reason", reason),
            ("reportingComponent", component), ("source", component), ("type", type),
        ];

        public static Involved Of(JsonObject obj)
        {
            var metadata = obj["metadata"]!;
            return new((string?)obj["kind"], (string?)obj["apiVersion"], (string?)metadata["namespace"], (string)metadata["name"]!, (string?)metadata["uid"], (string?)metadata["resourceVersion"]);
        }

        public static Involved Of(StoredObject obj) =>
            new(obj.Type.Kind, obj.Type.GroupVersion, obj.Namespace.Length == 0 ? null : obj.Namespace, obj.Name, obj.Uid.Length == 0 ? null : obj.Uid,
                obj.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
