using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// The objects of one simulated cluster, in the role etcd plays for kube-apiserver: one dictionary and
/// sorted key set per kind, a cluster-wide increasing resourceVersion, a bounded history of changes
/// that watches resume from, and fan-out of each change to the open watches.
/// </summary>
public sealed partial class ClusterStore
{
    private readonly Lock _lock = new();
    // Events are written four times a pod's life and listed by a client now and then: their sorted keys are sorted when read.
    private readonly Dictionary<ResourceType, KindTable> _tables = ResourceCatalog.All.ToDictionary(t => t, t => new KindTable(keysWhenRead: t == ResourceCatalog.Events));
    private readonly List<WatchSubscription> _watchers = [];
    private readonly EventHistory _history;
    private readonly StringPool _strings = new();
    private readonly TimeProvider _time;
    private long _resourceVersion;

    public ClusterStore(TimeProvider time, int historyCapacity, TimeSpan historyWindow)
    {
        _time = time;
        _history = new EventHistory(historyCapacity, historyWindow);
    }

    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    public TimeProvider Time => _time;

    /// <summary>
    /// Called with every committed change, under the store's lock, before any watch sees it: for state that must follow
    /// the store without lag (the authorizer's parsed roles and bindings). It must be quick and must not call the store.
    /// </summary>
    internal Action<WatchEvent>? OnCommit { get; set; }

    public int Count(ResourceType type)
    {
        lock (_lock)
        {
            return _tables[type].Objects.Count;
        }
    }

    public StoredObject? Get(ResourceType type, string ns, string name)
    {
        lock (_lock)
        {
            return _tables[type].Objects.GetValueOrDefault(StoredObject.KeyOf(ns, name));
        }
    }

    /// <summary>An object by its key (<c>namespace/name</c>, or the name of a cluster-wide one), as the controllers' indexes hold it.</summary>
    public StoredObject? Get(ResourceType type, string key)
    {
        lock (_lock)
        {
            return _tables[type].Objects.GetValueOrDefault(key);
        }
    }

    /// <summary>Every object of a kind (in one namespace, or all); for controllers and seeding, not for clients.</summary>
    public IReadOnlyList<StoredObject> Snapshot(ResourceType type, string? ns = null)
    {
        lock (_lock)
        {
            return [.. Range(type, ns, null)];
        }
    }

    public ListResult List(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, int limit, string? continueToken)
    {
        ns ??= fields.Namespace is { } pinned && type.Namespaced ? pinned : null;
        var (listVersion, start) = continueToken is null ? (0L, null) : ContinueToken.Decode(continueToken);
        lock (_lock)
        {
            if (continueToken is not null && listVersion < _history.CompactedRevision)
            {
                throw ApiException.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }
            var version = continueToken is null ? _resourceVersion : listVersion;
            var items = new List<StoredObject>();
            var unfiltered = labels.IsEmpty && fields.IsEmpty;
            string? next = null;
            long? remaining = null;
            var view = Range(type, ns, start);
            using var cursor = view.GetEnumerator();
            while (cursor.MoveNext())
            {
                var obj = cursor.Current;
                if (!labels.Matches(obj.Labels) || !fields.Matches(obj))
                {
                    continue;
                }
                if (limit > 0 && items.Count == limit)
                {
                    next = ContinueToken.Encode(version, items[^1].Key + "\0");
                    // kube-apiserver counts what remains only for a list without selectors; with one, counting would
                    // walk every object past the page (churn asks for 50 Running pods a thousand times a second).
                    if (unfiltered)
                    {
                        var rest = 1;
                        while (cursor.MoveNext())
                        {
                            rest++;
                        }
                        remaining = rest;
                    }
                    break;
                }
                items.Add(obj);
            }
            return new ListResult(items, version, next, remaining);
        }
    }

    /// <summary>
    /// Opens a watch. Without a resourceVersion the backlog is the current state as ADDED events;
    /// with one, it is the kept history after it, or 410 Expired when that history is gone.
    /// </summary>
    public WatchSubscription Watch(ResourceType? type, string? ns, long? fromResourceVersion, int capacity)
    {
        lock (_lock)
        {
            var subscription = new WatchSubscription(type, ns, capacity, Unsubscribe);
            if (type is not null)
            {
                _history.Trim(_time.GetUtcNow());
                if (fromResourceVersion is null)
                {
                    var now = _time.GetUtcNow();
                    subscription.Backlog = [.. Range(type, ns, null).Select(o => new WatchEvent(WatchEvent.Added, o, now))];
                }
                else if (fromResourceVersion < _history.CompactedRevision)
                {
                    throw ApiException.Expired($"too old resource version: {fromResourceVersion} ({_history.CompactedRevision + 1})");
                }
                else
                {
                    subscription.Backlog = [.. _history.Since(fromResourceVersion.Value, type).Where(subscription.Wants)];
                }
            }
            _watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Closes every open watch, as when an apiserver restarts or a load balancer drops connections.</summary>
    public void CloseAllWatches(bool includeInternal = false)
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers.Where(w => includeInternal || w.Type is not null))
            {
                watcher.Close();
            }
        }
    }

    /// <summary>
    /// How many client watches of <paramref name="type"/> are open in <paramref name="ns"/> (cluster-wide ones when
    /// null): a test waits for a watcher to be listening instead of sleeping until it probably is.
    /// </summary>
    public int OpenWatches(ResourceType type, string? ns = null)
    {
        lock (_lock)
        {
            return _watchers.Count(w => w.Type == type && w.Namespace == ns);
        }
    }

    /// <summary>Forgets the change history, so every watch from an older resourceVersion gets 410 Expired.</summary>
    public void CompactHistory()
    {
        lock (_lock)
        {
            _history.CompactTo(_resourceVersion);
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_lock)
        {
            _watchers.Remove(subscription);
        }
    }

    private IEnumerable<StoredObject> Range(ResourceType type, string? ns, string? start)
    {
        var table = _tables[type];
        if (table.Objects.Count == 0)
        {
            return [];
        }
        var lower = ns is null || !type.Namespaced ? table.Keys.Min! : ns + "/";
        var upper = ns is null || !type.Namespaced ? table.Keys.Max! : ns + "0";
        if (start is not null && string.CompareOrdinal(start, lower) > 0)
        {
            lower = start;
        }
        if (string.CompareOrdinal(lower, upper) > 0)
        {
            return [];
        }
        return table.Keys.GetViewBetween(lower, upper).Select(k => table.Objects[k]);
    }

    /// <summary>
    /// Commits a new version of <paramref name="obj"/>. Given <paramref name="serialized"/>, the object already serialized at its
    /// previous resourceVersion (a write compared it with the stored bytes), only the resourceVersion is spliced into those
    /// bytes; given none, the object is serialized.
    /// </summary>
    private StoredObject Commit(ResourceType type, JsonObject obj, string eventType, StoredObject? previous, ReadOnlySpan<byte> serialized = default)
    {
        var metadata = obj["metadata"]!.AsObject();
        var version = ++_resourceVersion;
        var resourceVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata["resourceVersion"] = resourceVersion;
        var json = serialized.IsEmpty ? null : JsonBytes.WithResourceVersion(serialized, resourceVersion);
        return Apply(StoredVersion.Build(type, obj, version, previous, _strings, json), eventType, previous);
    }

    /// <summary>Commits an object's removal: the DELETED event carries its last state at a new resourceVersion, and nothing is parsed.</summary>
    private StoredObject CommitRemoval(StoredObject current)
    {
        var version = ++_resourceVersion;
        var json = JsonBytes.WithResourceVersion(current.Json, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (json is null)
        {
            --_resourceVersion;
            return Commit(current.Type, current.ToJsonObject(), WatchEvent.Deleted, current);
        }
        return Apply(StoredVersion.WithResourceVersion(current, version, json), WatchEvent.Deleted, current);
    }

    private StoredObject Apply(StoredObject stored, string eventType, StoredObject? previous)
    {
        var type = stored.Type;
        var table = _tables[type];
        var key = stored.Key;
        if (eventType == WatchEvent.Deleted)
        {
            table.Objects.Remove(key);
            table.KeyRemoved(key);
        }
        else
        {
            table.Objects[key] = stored;
            // A new version of a stored object keeps its key: the sorted keys (a walk of string comparisons) change only for a new one.
            if (previous is null)
            {
                table.KeyAdded(key);
            }
        }
        var change = new WatchEvent(eventType, stored, _time.GetUtcNow()) { Previous = previous };
        OnCommit?.Invoke(change);
        // A replayed change needs what the version before matched (selector watches turn it into ADDED or DELETED),
        // not that version's bytes: those would keep a second copy of every object alive for the whole window.
        _history.Append(previous is null ? change : change with { Previous = StoredVersion.FactsOf(previous) });
        foreach (var watcher in _watchers)
        {
            if (watcher.Wants(change))
            {
                watcher.Offer(change);
            }
        }
        return stored;
    }

    /// <summary>
    /// A kind's objects by key, and their keys in order for lists and pages. With <c>keysWhenRead</c> the order is kept only
    /// between writes and sorted again at the next read, for a kind written far more often than it is listed.
    /// </summary>
    private sealed class KindTable(bool keysWhenRead)
    {
        private SortedSet<string>? _keys = keysWhenRead ? null : new(StringComparer.Ordinal);

        public Dictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Keys => _keys ??= new SortedSet<string>(Objects.Keys, StringComparer.Ordinal);

        public void KeyAdded(string key)
        {
            if (keysWhenRead)
            {
                _keys = null;
            }
            else
            {
                _keys!.Add(key);
            }
        }

        public void KeyRemoved(string key)
        {
            if (keysWhenRead)
            {
                _keys = null;
            }
            else
            {
                _keys!.Remove(key);
            }
        }
    }
}

public sealed record ListResult(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

/// <summary>The opaque continue token: the list's resourceVersion and the key to resume after, as kube-apiserver encodes it.</summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string start) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = resourceVersion, ["start"] = start }, JsonWire.Options))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (long ResourceVersion, string Start) Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(base64)))!;
            return ((long)node["rv"]!, (string)node["start"]!);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {e.Message}");
        }
    }
}
