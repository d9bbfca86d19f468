using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// Gives each new namespace its default ServiceAccount, and finishes a namespace's deletion by removing
/// everything in it, then the namespace itself; also the garbage collector for owned objects.
/// </summary>
internal sealed class NamespaceController(ClusterStore store, OwnerIndex owners)
{
    public void Sync(StoredObject stored)
    {
        var ns = stored.ToJsonObject();
        if (ns["metadata"]?["deletionTimestamp"] is null)
        {
            if (store.Get(ResourceCatalog.ServiceAccounts, stored.Name, "default") is null)
            {
                try
                {
                    store.Create(ResourceCatalog.ServiceAccounts, stored.Name, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
                }
                catch (Api.ApiException)
                {
                    // Created concurrently by a client, or the namespace is already going away.
                }
            }
            return;
        }
        foreach (var type in ResourceCatalog.All.Where(t => t.Namespaced))
        {
            foreach (var obj in store.Snapshot(type, stored.Name))
            {
                store.Remove(type, obj.Namespace, obj.Name);
            }
        }
        store.Remove(ResourceCatalog.Namespaces, "", stored.Name);
    }

    /// <summary>Background propagation: when an owner is deleted, its dependents are deleted too.</summary>
    public void CollectGarbage(StoredObject deletedOwner)
    {
        var uid = (string?)deletedOwner.ToJsonObject()["metadata"]?["uid"];
        if (uid is null)
        {
            return;
        }
        foreach (var (type, key) in owners.DependentsOf(uid).ToList())
        {
            var slash = key.IndexOf('/');
            try
            {
                store.Delete(type, key[..slash], key[(slash + 1)..]);
            }
            catch (Api.ApiException)
            {
                // Already gone.
            }
        }
    }
}
