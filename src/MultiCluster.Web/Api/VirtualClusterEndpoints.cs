using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Web.Identity;
using MultiCluster.Web.VirtualClusters;

namespace MultiCluster.Web.Api;

/// <summary>What a create asks for; everything but host and name has vCluster's defaults.</summary>
public sealed record VirtualClusterBody(
    string Host,
    string Name,
    string? Namespace = null,
    string? KubernetesVersion = null,
    bool? Isolation = null,
    bool? NetworkIsolation = null,
    Dictionary<string, string>? Quota = null,
    Dictionary<string, string>? DefaultLimits = null,
    Dictionary<string, string>? DefaultRequests = null,
    string? ServiceType = null,
    Dictionary<string, string>? Labels = null)
{
    public VirtualClusterSpec ToSpec()
    {
        var defaults = new VirtualClusterSpec { Host = Host ?? "", Name = Name ?? "" };
        return defaults with
        {
            Namespace = Namespace,
            KubernetesVersion = KubernetesVersion ?? defaults.KubernetesVersion,
            Isolation = Isolation ?? defaults.Isolation,
            NetworkIsolation = NetworkIsolation ?? defaults.NetworkIsolation,
            Quota = Quota ?? defaults.Quota,
            DefaultLimits = DefaultLimits ?? defaults.DefaultLimits,
            DefaultRequests = DefaultRequests ?? defaults.DefaultRequests,
            ServiceType = ServiceType ?? defaults.ServiceType,
            Labels = Labels ?? defaults.Labels,
        };
    }
}

/// <summary>What deleting a vCluster removes, for a confirmation.</summary>
public sealed record VirtualClusterDeletionResource(string Host, string Namespace, string Name, IReadOnlyList<string> Removes);

/// <summary>
/// <c>/api/v1/virtual-clusters</c>: the Virtual clusters page for tools, with the same rules. Everyone who sees a host reads
/// its vClusters; Administrators and Operators (fleet-wide, or through a team's grant on the host) create, pause, resume,
/// delete, register and connect, and the host's RBAC decides as well (the writes are impersonated).
/// </summary>
public static class VirtualClusterEndpoints
{
    public static IEndpointRouteBuilder MapVirtualClusterApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/virtual-clusters").RequireAuthorization(DashboardPolicies.Api).WithTags("MultiCluster");

        api.MapGet("/", (ClaimsPrincipal user, VirtualClusterService vclusters) => TypedResults.Ok(vclusters.List(user)))
            .RequireAuthorization(DashboardActions.ReadFleet).WithName("ListVirtualClusters");

        api.MapGet("/{host}/{namespace}/{name}", Results<Ok<VirtualClusterRow>, ProblemHttpResult> (string host, string @namespace, string name, ClaimsPrincipal user, VirtualClusterService vclusters) =>
                vclusters.Find(user, host, @namespace, name) is { } row ? TypedResults.Ok(row) : Problem(new VirtualClusterOutcome($"No vCluster named {name} runs in namespace {@namespace} of {host}.", VirtualClusterRefusal.NotFound)))
            .RequireAuthorization(DashboardActions.ReadFleet).WithName("GetVirtualCluster");

        api.MapPost("/", async Task<Results<Created<VirtualClusterRow>, ProblemHttpResult>> (VirtualClusterBody body, ClaimsPrincipal user, VirtualClusterService vclusters, CancellationToken ct) =>
            {
                var spec = body.ToSpec();
                var outcome = await vclusters.CreateAsync(user, spec, null, ct);
                if (!outcome.Succeeded)
                {
                    return Problem(outcome);
                }
                var row = vclusters.Find(user, spec.Host, spec.EffectiveNamespace, spec.Name)
                    ?? new VirtualClusterRow(spec.Host, spec.EffectiveNamespace, spec.Name, "Pending", VirtualClusterSpec.DefaultRelease, "StatefulSet", false, null, false, null, outcome.Cluster, null, []);
                return TypedResults.Created($"/api/v1/virtual-clusters/{spec.Host}/{spec.EffectiveNamespace}/{spec.Name}", row with { RegisteredAs = outcome.Cluster });
            })
            .RequireAuthorization(DashboardActions.ManageVirtualClusters).WithName("CreateVirtualCluster")
            .WithDescription("Creates the vCluster's objects on the host, waits until it answers through its own API and registers it as a cluster; a failure part-way removes what was created.");

        api.MapPost("/{host}/{namespace}/{name}/pause", async (string host, string @namespace, string name, ClaimsPrincipal user, VirtualClusterService vclusters, CancellationToken ct) =>
                Done(await vclusters.PauseAsync(user, host, @namespace, name, ct)))
            .RequireAuthorization(DashboardActions.ManageVirtualClusters).WithName("PauseVirtualCluster");

        api.MapPost("/{host}/{namespace}/{name}/resume", async (string host, string @namespace, string name, ClaimsPrincipal user, VirtualClusterService vclusters, CancellationToken ct) =>
                Done(await vclusters.ResumeAsync(user, host, @namespace, name, ct)))
            .RequireAuthorization(DashboardActions.ManageVirtualClusters).WithName("ResumeVirtualCluster");

        api.MapPost("/{host}/{namespace}/{name}/manage", async (string host, string @namespace, string name, ClaimsPrincipal user, VirtualClusterService vclusters, CancellationToken ct) =>
                Done(await vclusters.ManageAsync(user, host, @namespace, name, null, ct)))
            .RequireAuthorization(DashboardActions.ManageVirtualClusters).WithName("ManageVirtualCluster")
            .WithDescription("Registers a vCluster made elsewhere (the vcluster CLI, say) as a cluster, so it is watched.");

        api.MapGet("/{host}/{namespace}/{name}/deletion", async Task<Results<Ok<VirtualClusterDeletionResource>, ProblemHttpResult>> (
                string host, string @namespace, string name, ClaimsPrincipal user, VirtualClusterService vclusters, CancellationToken ct) =>
                await vclusters.PlanDeletionAsync(user, host, @namespace, name, ct) is var (plan, refused) && plan is not null
                    ? TypedResults.Ok(new VirtualClusterDeletionResource(host, @namespace, name, [.. plan.Lines]))
                    : Problem(refused!))
            .RequireAuthorization(DashboardActions.ManageVirtualClusters).WithName("PlanVirtualClusterDeletion")
            .WithDescription("What deleting the vCluster would remove. Nothing is deleted.");

        api.MapDelete("/{host}/{namespace}/{name}", async (string host, string @namespace, string name, ClaimsPrincipal user, VirtualClusterService vclusters, CancellationToken ct) =>
                Done(await vclusters.DeleteAsync(user, host, @namespace, name, ct)))
            .RequireAuthorization(DashboardActions.ManageVirtualClusters).WithName("DeleteVirtualCluster");

        api.MapGet("/{host}/{namespace}/{name}/kubeconfig", KubeconfigAsync)
            .RequireAuthorization(DashboardActions.ConnectVirtualClusters).WithName("VirtualClusterKubeconfig")
            .WithDescription("A kubeconfig for the vCluster (context vcluster_<name>_<namespace>_<host>, as vcluster connect writes it, with a server the dashboard reaches).");

        // The page's Connect link: a signed-in browser's download (the JSON API takes tokens only), as pod logs are downloaded.
        endpoints.MapGet("/clusters/{host}/virtual-clusters/{namespace}/{name}/kubeconfig", KubeconfigAsync)
            .RequireAuthorization(DashboardPolicies.CookieOrToken, DashboardActions.ConnectVirtualClusters);
        return endpoints;
    }

    /// <summary>The kubeconfig download's route for the page's Connect link.</summary>
    public static string KubeconfigDownload(string host, string ns, string name) =>
        $"/clusters/{Uri.EscapeDataString(host)}/virtual-clusters/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}/kubeconfig";

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> KubeconfigAsync(
        string host, string @namespace, string name, ClaimsPrincipal user, VirtualClusterService vclusters, CancellationToken ct)
    {
        var (kubeconfig, refused) = await vclusters.KubeconfigAsync(user, host, @namespace, name, ct);
        return kubeconfig is null
            ? Problem(refused!)
            : TypedResults.File(Encoding.UTF8.GetBytes(kubeconfig), "application/yaml", $"{VirtualClusterNames.Context(name, @namespace, host)}.kubeconfig");
    }

    private static Results<NoContent, ProblemHttpResult> Done(VirtualClusterOutcome outcome) =>
        outcome.Succeeded ? TypedResults.NoContent() : Problem(outcome);

    private static ProblemHttpResult Problem(VirtualClusterOutcome outcome)
    {
        var status = outcome.Refusal switch
        {
            VirtualClusterRefusal.Forbidden => StatusCodes.Status403Forbidden,
            VirtualClusterRefusal.NotFound => StatusCodes.Status404NotFound,
            VirtualClusterRefusal.Conflict => StatusCodes.Status409Conflict,
            VirtualClusterRefusal.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        return TypedResults.Problem(detail: outcome.Problem, statusCode: status, title: "Not done");
    }
}
