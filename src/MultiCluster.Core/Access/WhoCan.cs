using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Access;

/// <summary>A question for RBAC: may anyone <c>get pods/log</c> in namespace team-a (a null namespace: at the cluster scope)?</summary>
public sealed record AccessQuestion(string Verb, string Resource, string? Subresource = null, string ApiGroup = "", string? Namespace = null, string? Name = null)
{
    public string Combined => Subresource is { Length: > 0 } ? $"{Resource}/{Subresource}" : Resource;

    /// <summary>
    /// The question from what a person types, as <c>kubectl auth can-i</c> takes it: <c>pods</c>, <c>pods/log</c>,
    /// <c>deployments.apps</c>, <c>deployments.apps/scale</c>; a blank namespace asks at the cluster scope.
    /// </summary>
    public static AccessQuestion Parse(string verb, string resource, string? ns)
    {
        var (kind, subresource) = resource.Trim().Split('/', 2) is [var k, var sub] ? (k, sub) : (resource.Trim(), null);
        var (plural, group) = kind.Split('.', 2) is [var p, var g] ? (p, g) : (kind, "");
        return new AccessQuestion(verb.Trim(), plural, subresource, group, string.IsNullOrWhiteSpace(ns) ? null : ns.Trim());
    }

    /// <summary>The question as <c>kubectl auth can-i</c> takes it.</summary>
    public override string ToString() => $"{Verb} {Combined}{(ApiGroup.Length > 0 ? "." + ApiGroup : "")}{(Name is null ? "" : "/" + Name)}{(Namespace is null ? "" : $" in {Namespace}")}";
}

/// <summary>One subject allowed, and the binding and role that allow it.</summary>
public sealed record AllowedSubject(string Cluster, BindingSubject Subject, string BindingKind, string? BindingNamespace, string Binding, string RoleKind, string Role);

/// <summary>
/// "Who can": every subject the RoleBindings and ClusterRoleBindings of a cluster allow to do something, evaluated as
/// Kubernetes' RBAC authorizer does (verbs, API groups, resources and subresources, resource names, <c>*</c>), from the
/// roles' rules as the cluster holds them (aggregated ClusterRoles carry their aggregated rules). Members of
/// <c>system:masters</c> may do anything without RBAC and are not listed.
/// </summary>
public static class WhoCan
{
    /// <param name="objects">The cluster's RoleBindings, ClusterRoleBindings, Roles and ClusterRoles, in the engine's terms.</param>
    public static IReadOnlyList<AllowedSubject> Evaluate(AccessQuestion question, IEnumerable<ManagedObject> objects)
    {
        var all = objects.ToList();
        var clusterRoles = all.Where(o => o.Kind == RbacFields.ClusterRole).ToDictionary(o => o.Name, o => RbacFields.Rules(o.Fields), StringComparer.Ordinal);
        var roles = all.Where(o => o.Kind == RbacFields.Role).ToDictionary(o => (o.Namespace, o.Name), o => RbacFields.Rules(o.Fields));
        var allowed = new List<AllowedSubject>();
        foreach (var binding in all.Where(o => o.Kind == RbacFields.ClusterRoleBinding || (o.Kind == RbacFields.RoleBinding && question.Namespace is { } ns && o.Namespace == ns)))
        {
            var (roleKind, roleName) = RbacFields.RoleRef(binding.Fields);
            var rules = roleKind == RbacFields.Role
                ? binding.Kind == RbacFields.RoleBinding ? roles.GetValueOrDefault((binding.Namespace, roleName)) : null
                : clusterRoles.GetValueOrDefault(roleName);
            if (rules is null || !rules.Any(r => Allows(r, question)))
            {
                continue;
            }
            allowed.AddRange(RbacFields.Subjects(binding.Fields).Select(s => new AllowedSubject(binding.Cluster, s, binding.Kind, binding.Namespace, binding.Name, roleKind, roleName)));
        }
        return [.. allowed.OrderBy(a => a.Subject.Kind, StringComparer.Ordinal).ThenBy(a => a.Subject.Name, StringComparer.Ordinal).ThenBy(a => a.Binding, StringComparer.Ordinal)];
    }

    /// <summary>Whether one rule allows the question, by Kubernetes' rules (<c>RuleAllows</c> in the RBAC authorizer).</summary>
    public static bool Allows(AccessRule rule, AccessQuestion question) =>
        (rule.Verbs.Contains("*") || rule.Verbs.Contains(question.Verb))
        && (rule.ApiGroups.Contains("*") || rule.ApiGroups.Contains(question.ApiGroup))
        && rule.Resources.Any(r => r == "*" || r == question.Combined || (question.Subresource is { Length: > 0 } sub && r == "*/" + sub))
        && (rule.ResourceNames.Count == 0 || (question.Name is { } name && rule.ResourceNames.Contains(name)));
}
