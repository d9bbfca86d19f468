using Microsoft.AspNetCore.Http;

namespace MultiCluster.Simulator.Auth;

/// <summary>
/// What an authorizer decides on (kube-apiserver's authorizer.Attributes): the user, the verb, and either a resource
/// (group, resource, subresource, namespace, name) or a non-resource path.
/// </summary>
public sealed record RequestAttributes(
    UserInfo User, string Verb, bool IsResourceRequest, string ApiGroup, string Resource, string Subresource, string Namespace, string Name, string Path)
{
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];
    private static readonly HashSet<string> WebSocketCreates = ["exec", "attach", "portforward"];

    public static RequestAttributes ForResource(UserInfo user, string verb, string group, string resource, string subresource = "", string ns = "", string name = "") =>
        new(user, verb, true, group, resource, subresource, ns, name, "");

    public static RequestAttributes ForPath(UserInfo user, string verb, string path) =>
        new(user, verb, false, "", "", "", "", "", path);

    /// <summary>
    /// Decodes a request as kube-apiserver's RequestInfoFactory does: /api/v1/... and /apis/{group}/{version}/... are
    /// resource requests (GET without a name is list, or watch with watch=true; DELETE without a name is deletecollection;
    /// GET /api/v1/namespaces/x is namespace x itself); anything else is a non-resource path with the HTTP method as verb.
    /// </summary>
    public static RequestAttributes FromRequest(UserInfo user, HttpRequest request, string path)
    {
        var method = request.Method;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var apiGroupless = parts.Length >= 3 && parts[0] == "api";
        var apiGrouped = parts.Length >= 4 && parts[0] == "apis";
        if (!apiGroupless && !apiGrouped)
        {
            return ForPath(user, method.ToLowerInvariant(), path.Length == 0 ? "/" : path);
        }
        var group = apiGrouped ? parts[1] : "";
        var rest = parts.AsSpan(apiGrouped ? 3 : 2);
        string verb;
        var viaMethod = false;
        if (rest[0] is "watch" or "proxy" && rest.Length >= 2)
        {
            verb = rest[0];
            rest = rest[1..];
        }
        else
        {
            viaMethod = true;
            verb = method switch
            {
                "POST" => "create",
                "GET" or "HEAD" => "get",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => "delete",
                _ => "",
            };
        }
        var ns = "";
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            if (rest.Length > 2 && !NamespaceSubresources.Contains(rest[2]))
            {
                rest = rest[2..];
            }
        }
        var resource = rest[0];
        var name = rest.Length >= 2 ? rest[1] : "";
        var subresource = rest.Length >= 3 && verb != "proxy" ? rest[2] : "";
        if (viaMethod && name.Length == 0 && verb == "get")
        {
            verb = request.Query["watch"].ToString() is "1" or "true" or "True" ? "watch" : "list";
            // A list or watch of one object by field selector is authorized as that object, so resourceNames apply.
            if (request.Query["fieldSelector"].ToString() is { } selector && SingleName(selector) is { } selected)
            {
                name = selected;
            }
        }
        if (viaMethod && name.Length == 0 && verb == "delete")
        {
            verb = "deletecollection";
        }
        // kubectl exec/attach/port-forward upgrade a GET to a WebSocket; kube-apiserver authorizes those as create.
        if (verb == "get" && group.Length == 0 && resource == "pods" && WebSocketCreates.Contains(subresource) &&
            request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase))
        {
            verb = "create";
        }
        return new RequestAttributes(user, verb, true, group, resource, subresource, ns, name, path);
    }

    private static string? SingleName(string selector)
    {
        foreach (var requirement in selector.Split(','))
        {
            var trimmed = requirement.Trim();
            foreach (var prefix in new[] { "metadata.name==", "metadata.name=" })
            {
                if (trimmed.StartsWith(prefix, StringComparison.Ordinal) && trimmed[prefix.Length..] is { Length: > 0 } name && !name.Contains('/'))
                {
                    return name;
                }
            }
        }
        return null;
    }
}
