using Microsoft.AspNetCore.Http;
using MultiCluster.Simulator.Auth;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Api;

/// <summary>
/// One cluster's kube-apiserver: authentication, impersonation, injected faults, RBAC, then discovery, OpenAPI,
/// access reviews and resources under the cluster's base path (/clusters/{name}).
/// </summary>
public sealed class ApiServer(SimulatedCluster cluster)
{
    private readonly ResourceEndpoints _resources = new(cluster);
    private readonly AccessReviews _reviews = new(cluster.Authorizer);

    public async Task HandleAsync(HttpContext context)
    {
        UserInfo? user = null;
        string? impersonatedBy = null;
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
            // kube-apiserver's filter order: authentication, impersonation, priority and fairness (the injected faults), authorization.
            var requester = cluster.Authenticate(context) ?? throw ApiException.Unauthorized();
            user = requester;
            user = Impersonation.Apply(context.Request.Headers, requester, cluster.Authorizer);
            impersonatedBy = ReferenceEquals(user, requester) ? null : requester.Name;
            await cluster.Faults.BeforeRequestAsync(context.RequestAborted);
            // system:masters skips RBAC without a look at the request: the fleet's admin traffic pays nothing for it.
            if (!user.IsPrivileged)
            {
                var attributes = RequestAttributes.FromRequest(user, context.Request, path.Length == 0 ? "/" : path);
                var decision = cluster.Authorizer.Authorize(attributes);
                if (!decision.Allowed)
                {
                    throw Forbidden.Exception(attributes, decision.Reason);
                }
            }
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
                cluster.Store.Time.GetUtcNow(), user?.Name, user?.Groups ?? [], impersonatedBy, context.Request.Method,
                context.Request.Path + context.Request.QueryString, context.Response.StatusCode, context.Request.Headers.UserAgent.ToString()));
        }
    }

    private async Task RouteAsync(HttpContext context, string[] segments, UserInfo user)
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
                await _resources.HandleAsync(request);
                return;
            case ["apis", var group, var version, .. var rest] when AccessReviews.Parse(group, version, rest) is ({ } type, var ns):
                await _reviews.HandleAsync(context, type, ns, user);
                return;
            case ["apis", var group, var version, .. var rest] when ApiRequest.Parse(group, version, rest, context) is { } request:
                await _resources.HandleAsync(request);
                return;
            default:
                throw ApiException.NotFoundPath();
        }
    }
}
