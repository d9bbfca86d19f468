using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>The autoscaling/v1 Scale view of a Deployment, ReplicaSet or StatefulSet, as `kubectl scale` uses it.</summary>
public static class ScaleSubresource
{
    public static async Task HandleAsync(ApiRequest request, ClusterStore store)
    {
        var name = request.Name ?? throw ApiException.NotFoundPath();
        var ns = request.NamespaceOrEmpty;
        StoredObject result;
        switch (request.Verb)
        {
            case "GET":
                result = store.Get(request.Type, ns, name) ?? throw ApiException.NotFound(request.Type, name);
                break;
            case "PUT":
                var scale = await Responses.ReadObjectAsync(request.Context);
                result = store.Patch(request.Type, ns, name, current => SetReplicas(current, scale, checkVersion: true), null, request.DryRun);
                break;
            case "PATCH":
                var contentType = request.Context.Request.ContentType?.Split(';')[0].Trim() ?? "";
                var patch = await Responses.ReadNodeAsync(request.Context);
                result = store.Patch(request.Type, ns, name, current => SetReplicas(current, Patching.Apply(contentType, ToScale(current), patch), checkVersion: false), null, request.DryRun);
                break;
            default:
                throw ApiException.MethodNotAllowed(request.Verb);
        }
        await Responses.WriteAsync(request.Context, 200, ToScale(result.ToJsonObject()));
    }

    public static JsonObject ToScale(JsonObject obj)
    {
        var metadata = obj["metadata"]!;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = JsonNumber.Long(obj["spec"]?["replicas"]) ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = JsonNumber.Long(obj["status"]?["replicas"]) ?? 0,
                ["selector"] = SelectorString(obj["spec"]?["selector"]?["matchLabels"] as JsonObject),
            },
        };
    }

    private static JsonObject SetReplicas(JsonObject current, JsonObject scale, bool checkVersion)
    {
        var replicas = JsonNumber.Long(scale["spec"]?["replicas"]) ?? throw ApiException.BadRequest("spec.replicas is required");
        if (replicas < 0)
        {
            throw new ApiException(422, "Invalid", $"Scale.autoscaling \"{current["metadata"]!["name"]}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0");
        }
        var expected = (string?)scale["metadata"]?["resourceVersion"];
        current["spec"]!["replicas"] = replicas;
        if (!checkVersion || string.IsNullOrEmpty(expected))
        {
            current["metadata"]!.AsObject().Remove("resourceVersion");
        }
        else
        {
            current["metadata"]!["resourceVersion"] = expected;
        }
        return current;
    }

    private static string SelectorString(JsonObject? matchLabels) =>
        matchLabels is null ? "" : string.Join(',', matchLabels.Select(p => $"{p.Key}={p.Value}"));
}
