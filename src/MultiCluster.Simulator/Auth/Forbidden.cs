using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Auth;

/// <summary>
/// kube-apiserver's authorization refusal: responsewriters.Forbidden's message (forbiddenMessage, plus the authorizer's
/// reason after ": ") wrapped by apierrors.NewForbidden, e.g.
/// <c>pods "x" is forbidden: User "u" cannot get resource "pods/log" in API group "" in the namespace "n"</c>.
/// </summary>
public static class Forbidden
{
    public static string Message(RequestAttributes attributes, string reason = "")
    {
        var message = ForbiddenMessage(attributes);
        if (reason.Length > 0)
        {
            message = $"{message}: {reason}";
        }
        if (!attributes.IsResourceRequest || attributes.Resource.Length == 0)
        {
            return $"forbidden: {message}";
        }
        var qualified = attributes.ApiGroup.Length == 0 ? attributes.Resource : $"{attributes.Resource}.{attributes.ApiGroup}";
        return attributes.Name.Length == 0 ? $"{qualified} is forbidden: {message}" : $"{qualified} \"{attributes.Name}\" is forbidden: {message}";
    }

    public static ApiException Exception(RequestAttributes attributes, string reason = "") =>
        attributes.IsResourceRequest && attributes.Resource.Length > 0
            ? new ApiException(403, "Forbidden", Message(attributes, reason), attributes.Name.Length == 0 ? null : attributes.Name, attributes.Resource, attributes.ApiGroup)
            : new ApiException(403, "Forbidden", Message(attributes, reason));

    private static string ForbiddenMessage(RequestAttributes a)
    {
        if (!a.IsResourceRequest)
        {
            return $"User {Quote(a.User.Name)} cannot {a.Verb} path {Quote(a.Path)}";
        }
        var resource = a.Subresource.Length == 0 ? a.Resource : $"{a.Resource}/{a.Subresource}";
        return a.Namespace.Length > 0
            ? $"User {Quote(a.User.Name)} cannot {a.Verb} resource {Quote(resource)} in API group {Quote(a.ApiGroup)} in the namespace {Quote(a.Namespace)}"
            : $"User {Quote(a.User.Name)} cannot {a.Verb} resource {Quote(resource)} in API group {Quote(a.ApiGroup)} at the cluster scope";
    }

    /// <summary>Go's %q for the names kube-apiserver quotes: backslashes and double quotes escaped.</summary>
    internal static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
