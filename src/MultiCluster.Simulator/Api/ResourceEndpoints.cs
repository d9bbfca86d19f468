using System.Text.Json.Nodes;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>The verbs on a resource path: get, list, watch, create, update, patch, delete and deletecollection.</summary>
public sealed class ResourceEndpoints(SimulatedCluster cluster)
{
    private readonly WatchEndpoint _watch = new(cluster);

    private ClusterStore Store => cluster.Store;

    public Task HandleAsync(ApiRequest request)
    {
        return request.Subresource switch
        {
            null => HandleMainAsync(request),
            "status" when request.Type.HasStatus => HandleStatusAsync(request),
            "scale" when request.Type.Subresources.Contains("scale") => ScaleSubresource.HandleAsync(request, Store),
            "log" when request.Type == ResourceCatalog.Pods && request.Verb == "GET" => PodLogs.HandleAsync(request, Store),
            _ => throw ApiException.NotFoundPath(),
        };
    }

    private async Task HandleMainAsync(ApiRequest request)
    {
        var context = request.Context;
        switch (request.Verb, request.Name)
        {
            case ("GET", null) when IsWatch(request):
                await _watch.ServeAsync(request);
                break;
            case ("GET", null):
                await ListAsync(request);
                break;
            case ("GET", { } name):
                await WriteObjectAsync(request, 200, Get(request, name));
                break;
            case ("POST", null):
                if (request.Type.Namespaced && request.Namespace is null)
                {
                    throw ApiException.MethodNotAllowed("POST");
                }
                var created = Store.Create(request.Type, request.NamespaceOrEmpty, await Responses.ReadObjectAsync(context), request.DryRun, FieldManager(request));
                await WriteObjectAsync(request, 201, created);
                break;
            case ("PUT", { } name):
                var updated = Store.Update(request.Type, request.NamespaceOrEmpty, name, await Responses.ReadObjectAsync(context), null, request.DryRun, FieldManager(request));
                await WriteObjectAsync(request, 200, updated);
                break;
            case ("PATCH", { } name) when IsApply(request):
                await ApplyAsync(request, name);
                break;
            case ("PATCH", { } name):
                await WriteObjectAsync(request, 200, await PatchAsync(request, name, null));
                break;
            case ("DELETE", { } name):
                var options = await ReadDeleteOptionsAsync(request);
                var (deleted, removed) = Store.Delete(request.Type, request.NamespaceOrEmpty, name, options.GracePeriod, options.Uid, options.ResourceVersion, request.DryRun);
                await WriteObjectAsync(request, removed || request.DryRun ? 200 : 202, deleted);
                break;
            case ("DELETE", null):
                await DeleteCollectionAsync(request);
                break;
            default:
                throw ApiException.MethodNotAllowed(request.Verb);
        }
    }

    private async Task HandleStatusAsync(ApiRequest request)
    {
        var name = request.Name ?? throw ApiException.NotFoundPath();
        var result = request.Verb switch
        {
            "GET" => Get(request, name),
            "PUT" => Store.Update(request.Type, request.NamespaceOrEmpty, name, await Responses.ReadObjectAsync(request.Context), "status", request.DryRun),
            "PATCH" => await PatchAsync(request, name, "status"),
            _ => throw ApiException.MethodNotAllowed(request.Verb),
        };
        await WriteObjectAsync(request, 200, result);
    }

    private StoredObject Get(ApiRequest request, string name) =>
        Store.Get(request.Type, request.NamespaceOrEmpty, name) ?? throw ApiException.NotFound(request.Type, name);

    private async Task<StoredObject> PatchAsync(ApiRequest request, string name, string? subresource)
    {
        var contentType = request.Context.Request.ContentType?.Split(';')[0].Trim() ?? "";
        var patch = await Responses.ReadNodeAsync(request.Context);
        return Store.Patch(request.Type, request.NamespaceOrEmpty, name, current => Patching.Apply(contentType, current, patch), subresource, request.DryRun, FieldManager(request));
    }

    /// <summary>
    /// Server-side apply: creates the object when it is missing, otherwise merges the applied configuration with
    /// field ownership (<see cref="ManagedFields"/>): what this manager applied before and no longer sends is removed,
    /// fields of other managers are kept, and changing them is a 409 conflict unless forced.
    /// </summary>
    private async Task ApplyAsync(ApiRequest request, string name)
    {
        var manager = request.Query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            throw ApiException.BadRequest("PATCH " + request.Context.Request.Path + ": fieldManager is required for apply requests");
        }
        var applied = await Responses.ReadObjectAsync(request.Context);
        if ((string?)applied["kind"] != request.Type.Kind || (string?)applied["apiVersion"] != request.Type.GroupVersion)
        {
            throw ApiException.BadRequest($"apply patches must set apiVersion {request.Type.GroupVersion} and kind {request.Type.Kind}");
        }
        var metadata = applied["metadata"] as JsonObject ?? [];
        applied["metadata"] = metadata;
        metadata.Remove("resourceVersion");
        metadata.Remove("managedFields");
        var now = Store.Time.GetUtcNow();
        if (Store.Get(request.Type, request.NamespaceOrEmpty, name) is null)
        {
            metadata["name"] = name;
            ManagedFields.RecordApplyCreate(request.Type, applied, manager, now);
            await WriteObjectAsync(request, 201, Store.Create(request.Type, request.NamespaceOrEmpty, applied, request.DryRun));
            return;
        }
        var force = request.Query["force"].ToString() is "true" or "True" or "1";
        var patched = Store.Patch(request.Type, request.NamespaceOrEmpty, name,
            current => ManagedFields.ApplyTo(request.Type, current, applied, manager, force, now), null, request.DryRun);
        await WriteObjectAsync(request, 200, patched);
    }

    /// <summary>The manager a write is recorded under: fieldManager, else the client's User-Agent up to its first '/', as kube-apiserver names it.</summary>
    private static string FieldManager(ApiRequest request) =>
        request.Query["fieldManager"].ToString() is { Length: > 0 } manager ? manager : request.Context.Request.Headers.UserAgent.ToString().Split('/')[0];

    private static bool IsApply(ApiRequest request) =>
        request.Context.Request.ContentType?.Split(';')[0].Trim() == Patching.ApplyPatch;

    private async Task ListAsync(ApiRequest request)
    {
        var list = Store.List(
            request.Type,
            request.Type.Namespaced ? request.Namespace : null,
            LabelSelector.Parse(request.Query["labelSelector"]),
            FieldSelector.Parse(request.Query["fieldSelector"], request.Type),
            int.TryParse(request.Query["limit"], out var limit) ? limit : 0,
            string.IsNullOrEmpty(request.Query["continue"]) ? null : request.Query["continue"].ToString());
        if (Tables.IsRequested(request.Context))
        {
            await Responses.WriteAsync(request.Context, 200, Tables.ForList(request, list, Store.Time.GetUtcNow()));
            return;
        }
        await Responses.WriteListAsync(request.Context, request.Type, list);
    }

    private async Task DeleteCollectionAsync(ApiRequest request)
    {
        var list = Store.List(
            request.Type,
            request.Type.Namespaced ? request.Namespace : null,
            LabelSelector.Parse(request.Query["labelSelector"]),
            FieldSelector.Parse(request.Query["fieldSelector"], request.Type),
            0,
            null);
        var options = await ReadDeleteOptionsAsync(request);
        var deleted = new List<StoredObject>();
        foreach (var item in list.Items)
        {
            try
            {
                deleted.Add(Store.Delete(request.Type, item.Namespace, item.Name, options.GracePeriod, dryRun: request.DryRun).Object);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted concurrently; deletecollection does not report those.
            }
        }
        await Responses.WriteListAsync(request.Context, request.Type, list with { Items = deleted, Continue = null, RemainingItemCount = null });
    }

    private static async Task<(long? GracePeriod, string? Uid, string? ResourceVersion)> ReadDeleteOptionsAsync(ApiRequest request)
    {
        long? grace = long.TryParse(request.Query["gracePeriodSeconds"], out var g) ? g : null;
        if (request.Context.Request.ContentLength is > 0 || request.Context.Request.Headers.TransferEncoding.Count > 0)
        {
            if (await Responses.ReadNodeAsync(request.Context) is JsonObject body)
            {
                grace = JsonNumber.Long(body["gracePeriodSeconds"]) ?? grace;
                return (grace, (string?)body["preconditions"]?["uid"], (string?)body["preconditions"]?["resourceVersion"]);
            }
        }
        return (grace, null, null);
    }

    private async Task WriteObjectAsync(ApiRequest request, int statusCode, StoredObject obj)
    {
        if (Tables.IsRequested(request.Context))
        {
            var single = new ListResult([obj], obj.ResourceVersion, null, null);
            await Responses.WriteAsync(request.Context, statusCode, Tables.ForList(request, single, Store.Time.GetUtcNow()));
            return;
        }
        await Responses.WriteAsync(request.Context, statusCode, obj);
    }

    private static bool IsWatch(ApiRequest request) => request.Query["watch"].ToString() is "1" or "true" or "True";
}
