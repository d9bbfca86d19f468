using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// Which objects each owner (by uid) controls, kept from the change feed, as the garbage collector's graph; and for each
/// owner, how many of its pods are not terminating and how many of those are Ready, so a ReplicaSet whose pods changed
/// status only can tell it has nothing to do without reading each of them.
/// </summary>
internal sealed class OwnerIndex
{
    private readonly Dictionary<string, HashSet<(ResourceType Type, string Key)>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<(ResourceType Type, string Key), Dependent> _owners = [];
    private readonly Dictionary<string, (int Live, int Ready)> _pods = new(StringComparer.Ordinal);

    public void Observe(WatchEvent change)
    {
        var obj = change.Object;
        var id = (obj.Type, obj.Key);
        var tracked = obj.Type == ResourceCatalog.Pods || obj.Type == ResourceCatalog.ReplicaSets;
        var live = obj.Type == ResourceCatalog.Pods && !obj.Terminating;
        var dependent = obj.Controller is { } controller ? new Dependent(controller.Uid, live, live && obj.Ready) : default;
        // Most changes are status updates that keep the owner: one lookup instead of a removal and an insertion.
        if (tracked && change.Type != WatchEvent.Deleted && dependent.Owner is not null &&
            _owners.TryGetValue(id, out var current) && current.Owner == dependent.Owner)
        {
            if (current != dependent)
            {
                Count(current, -1);
                Count(dependent, +1);
                _owners[id] = dependent;
            }
            return;
        }
        if (_owners.Remove(id, out var old))
        {
            Count(old, -1);
            if (_dependents.TryGetValue(old.Owner, out var oldSet))
            {
                oldSet.Remove(id);
                if (oldSet.Count == 0)
                {
                    _dependents.Remove(old.Owner);
                }
            }
        }
        if (change.Type == WatchEvent.Deleted || !tracked || dependent.Owner is null)
        {
            return;
        }
        _owners[id] = dependent;
        Count(dependent, +1);
        if (!_dependents.TryGetValue(dependent.Owner, out var set))
        {
            set = [];
            _dependents[dependent.Owner] = set;
        }
        set.Add(id);
    }

    public IReadOnlyCollection<(ResourceType Type, string Key)> DependentsOf(string uid) =>
        _dependents.TryGetValue(uid, out var set) ? set : [];

    /// <summary>Whether the feed has brought the object (and it is not gone since).</summary>
    public bool Knows(ResourceType type, string key) => _owners.ContainsKey((type, key));

    /// <summary>An owner's pods that are not terminating, and of those the Ready ones, as of the last change read from the feed.</summary>
    public (int Live, int Ready) PodsOf(string uid) => _pods.GetValueOrDefault(uid);

    private void Count(Dependent dependent, int by)
    {
        if (!dependent.Live)
        {
            return;
        }
        var (live, ready) = _pods.GetValueOrDefault(dependent.Owner);
        (live, ready) = (live + by, ready + (dependent.Ready ? by : 0));
        if (live == 0)
        {
            _pods.Remove(dependent.Owner);
        }
        else
        {
            _pods[dependent.Owner] = (live, ready);
        }
    }

    /// <summary>What the index holds of one dependent: its owner's uid, and for a pod whether it counts as live and Ready.</summary>
    private readonly record struct Dependent(string Owner, bool Live, bool Ready);

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
