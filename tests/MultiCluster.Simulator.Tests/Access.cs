using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Tests;

/// <summary>RBAC objects and token users for the access tests, and the refusal a client sees.</summary>
public static class Access
{
    public const string RbacGroup = "rbac.authorization.k8s.io";

    public static Kubernetes ClientFor(SimulatedCluster cluster, string token) => new(cluster.CreateClientConfiguration(token));

    public static V1PolicyRule Rule(string[] verbs, string[] resources, string group = "", string[]? names = null) =>
        new() { Verbs = verbs, ApiGroups = [group], Resources = resources, ResourceNames = names };

    public static V1Role Role(string name, params V1PolicyRule[] rules) => new() { Metadata = new V1ObjectMeta { Name = name }, Rules = rules };

    public static V1ClusterRole ClusterRole(string name, IDictionary<string, string>? labels = null, params V1PolicyRule[] rules) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Labels = labels }, Rules = rules };

    public static Rbacv1Subject User(string name) => new() { Kind = "User", ApiGroup = RbacGroup, Name = name };

    public static Rbacv1Subject Group(string name) => new() { Kind = "Group", ApiGroup = RbacGroup, Name = name };

    public static Rbacv1Subject ServiceAccount(string ns, string name) => new() { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns };

    public static V1RoleBinding RoleBinding(string name, string roleKind, string roleName, params Rbacv1Subject[] subjects) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = roleKind, Name = roleName },
        Subjects = subjects,
    };

    public static V1ClusterRoleBinding ClusterRoleBinding(string name, string clusterRole, params Rbacv1Subject[] subjects) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = "ClusterRole", Name = clusterRole },
        Subjects = subjects,
    };

    /// <summary>Runs a call that must be refused with 403 and returns the Status message the client got.</summary>
    public static async Task<string> ForbiddenAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Forbidden", status["reason"]!.ToString());
        return status["message"]!.ToString();
    }

    /// <summary>A SelfSubjectAccessReview: may the client's user do this?</summary>
    public static async Task<V1SubjectAccessReviewStatus> CanIAsync(this Kubernetes client, string verb, string resource, string ns = "", string group = "", string subresource = "", string name = "") =>
        (await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = verb, Resource = resource, Group = group, Subresource = subresource, NamespaceProperty = ns, Name = name,
                },
            },
        })).Status;
}
