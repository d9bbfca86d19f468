using Microsoft.AspNetCore.Http;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>A resource request decoded from its path: /api/v1/namespaces/{ns}/{plural}/{name}/{subresource}.</summary>
public sealed record ApiRequest(ResourceType Type, string? Namespace, string? Name, string? Subresource, HttpContext Context)
{
    public IQueryCollection Query => Context.Request.Query;

    public string Verb => Context.Request.Method;

    public bool DryRun => Query["dryRun"].Contains("All");

    public string NamespaceOrEmpty => Type.Namespaced ? Namespace ?? "" : "";

    /// <summary>Decodes the segments after the group version, or null when they name no served resource.</summary>
    public static ApiRequest? Parse(string group, string version, string[] segments, HttpContext context)
    {
        if (segments.Length == 0)
        {
            return null;
        }
        if (segments[0] == "namespaces" && segments.Length >= 3 &&
            ResourceCatalog.Find(group, version, segments[2]) is { Namespaced: true } namespacedType)
        {
            return segments.Length switch
            {
                3 => new ApiRequest(namespacedType, segments[1], null, null, context),
                4 => new ApiRequest(namespacedType, segments[1], segments[3], null, context),
                5 => new ApiRequest(namespacedType, segments[1], segments[3], segments[4], context),
                _ => null,
            };
        }
        if (ResourceCatalog.Find(group, version, segments[0]) is not { } type || segments.Length > 3)
        {
            return null;
        }
        return new ApiRequest(type, null, segments.ElementAtOrDefault(1), segments.ElementAtOrDefault(2), context);
    }
}
