using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>Which objects each owner (by uid) controls, kept from the change feed, as the garbage collector's graph.</summary>
internal sealed class OwnerIndex
{
    private readonly Dictionary<string, HashSet<(ResourceType Type, string Key)>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<(ResourceType Type, string Key), string> _owners = [];

    public void Observe(WatchEvent change)
    {
        var obj = change.Object;
        var id = (obj.Type, obj.Key);
        var tracked = obj.Type == ResourceCatalog.Pods || obj.Type == ResourceCatalog.ReplicaSets;
        // Most changes are status updates that keep the owner: one lookup instead of a removal and an insertion.
        if (tracked && change.Type != WatchEvent.Deleted && obj.Controller is { } kept &&
            _owners.TryGetValue(id, out var current) && current == kept.Uid)
        {
            return;
        }
        if (_owners.Remove(id, out var oldOwner) && _dependents.TryGetValue(oldOwner, out var oldSet))
        {
            oldSet.Remove(id);
            if (oldSet.Count == 0)
            {
                _dependents.Remove(oldOwner);
            }
        }
        if (change.Type == WatchEvent.Deleted || !tracked)
        {
            return;
        }
        if (obj.Controller is { } owner)
        {
            _owners[id] = owner.Uid;
            if (!_dependents.TryGetValue(owner.Uid, out var set))
            {
                set = [];
                _dependents[owner.Uid] = set;
            }
            set.Add(id);
        }
    }

    public IReadOnlyCollection<(ResourceType Type, string Key)> DependentsOf(string uid) =>
        _dependents.TryGetValue(uid, out var set) ? set : [];

    public static JsonArray OwnerReferences(JsonObject owner) =>
    [
        new JsonObject
        {
            ["apiVersion"] = owner["apiVersion"]?.DeepClone(),
            ["kind"] = owner["kind"]?.DeepClone(),
            ["name"] = owner["metadata"]!["name"]?.DeepClone(),
            ["uid"] = owner["metadata"]!["uid"]?.DeepClone(),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        },
    ];
}
