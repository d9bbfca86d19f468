using Microsoft.AspNetCore.Http;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Api;

/// <summary>
/// One cluster's kube-apiserver: authentication, injected faults, then discovery, OpenAPI and resources
/// under the cluster's base path (/clusters/{name}).
/// </summary>
public sealed class ApiServer(SimulatedCluster cluster)
{
    private readonly ResourceEndpoints _resources = new(cluster);

    public async Task HandleAsync(HttpContext context)
    {
        string? user = null;
        string? impersonatedBy = null;
        IReadOnlyList<string> groups = [];
        try
        {
            // Each cluster has its own port, so paths are served with and without the /clusters/{name} prefix
            // (kubectl get --raw, for one, drops the server URL's path).
            var prefix = cluster.BaseUrl.AbsolutePath.TrimEnd('/');
            var path = context.Request.Path.Value ?? "";
            if (path.StartsWith(prefix + "/", StringComparison.Ordinal) || path == prefix)
            {
                path = path[prefix.Length..];
            }
            user = cluster.Authenticate(context) ?? throw ApiException.Unauthorized();
            if (context.Request.Headers["Impersonate-User"].ToString() is { Length: > 0 } impersonated)
            {
                if (user == "viewer")
                {
                    throw new ApiException(403, "Forbidden", $"users \"{impersonated}\" is forbidden: User \"{user}\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", impersonated, "users");
                }
                (impersonatedBy, user) = (user, impersonated);
                groups = [.. context.Request.Headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!)];
            }
            await cluster.Faults.BeforeRequestAsync(context.RequestAborted);
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            await RouteAsync(context, segments, user);
        }
        catch (ApiException e)
        {
            if (!context.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(context, e);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A simulator bug answers like an apiserver panic: 500 with a Status body, not a dropped connection.
            cluster.Logger.RequestFailed(cluster.Name, context.Request.Method, context.Request.Path, e);
            if (!context.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(context, ApiException.InternalError(e.Message));
            }
        }
        finally
        {
            cluster.Requests.Record(new RequestRecord(
                cluster.Store.Time.GetUtcNow(), user, groups, impersonatedBy, context.Request.Method,
                context.Request.Path + context.Request.QueryString, context.Response.StatusCode));
        }
    }

    private async Task RouteAsync(HttpContext context, string[] segments, string user)
    {
        switch (segments)
        {
            case ["version"]:
                await Responses.WriteAsync(context, 200, Discovery.Version(cluster.KubernetesVersion));
                return;
            case ["healthz" or "livez" or "readyz"]:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok", context.RequestAborted);
                return;
            case ["api"]:
                await Responses.WriteAsync(context, 200, Discovery.ApiVersions($"{cluster.BaseUrl.Host}:{cluster.BaseUrl.Port}"));
                return;
            case ["apis"]:
                await Responses.WriteAsync(context, 200, Discovery.GroupList());
                return;
            case ["apis", var group] when Store.ResourceCatalog.Groups.Contains(group):
                await Responses.WriteAsync(context, 200, Discovery.Group(group));
                return;
            case ["api", "v1"]:
                await Responses.WriteAsync(context, 200, Discovery.ResourceList("", "v1")!);
                return;
            case ["apis", var group, var version] when Discovery.ResourceList(group, version) is { } list:
                await Responses.WriteAsync(context, 200, list);
                return;
            case ["openapi", "v2"]:
                await Responses.WriteAsync(context, 200, OpenApiDocuments.V2());
                return;
            case ["openapi", "v3"]:
                await Responses.WriteAsync(context, 200, OpenApiDocuments.V3Index(cluster.BaseUrl.AbsolutePath.TrimEnd('/')));
                return;
            case ["openapi", "v3", .. var groupVersionPath] when OpenApiDocuments.V3(string.Join('/', groupVersionPath)) is { } document:
                await Responses.WriteAsync(context, 200, document);
                return;
            case ["api", "v1", .. var rest] when ApiRequest.Parse("", "v1", rest, context) is { } request:
                Authorize(user, request);
                await _resources.HandleAsync(request);
                return;
            case ["apis", var group, var version, .. var rest] when ApiRequest.Parse(group, version, rest, context) is { } request:
                Authorize(user, request);
                await _resources.HandleAsync(request);
                return;
            default:
                throw ApiException.NotFoundPath();
        }
    }

    /// <summary>The viewer may only read; anything else is 403 Forbidden in RBAC's words.</summary>
    private static void Authorize(string user, ApiRequest request)
    {
        if (user != "viewer" || request.Verb is "GET" or "HEAD")
        {
            return;
        }
        var verb = request.Verb switch
        {
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            _ => request.Name is null ? "deletecollection" : "delete",
        };
        var resource = request.Subresource is null ? request.Type.Plural : $"{request.Type.Plural}/{request.Subresource}";
        var what = request.Name is null ? request.Type.QualifiedName : $"{request.Type.QualifiedName} \"{request.Name}\"";
        var scope = request.Namespace is null ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        throw new ApiException(403, "Forbidden", $"{what} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{request.Type.Group}\" {scope}",
            request.Name, request.Type.Plural, request.Type.Group);
    }
}
