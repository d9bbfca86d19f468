using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>The validation a client notices most: names, required fields, and 422 Invalid with kube-apiserver's wording.</summary>
public static partial class Validation
{
    public static bool HasGeneration(ResourceType type) =>
        type.Group is "apps" or "networking.k8s.io";

    public static void ValidateName(ResourceType type, string name)
    {
        if (name.Length == 0)
        {
            throw ApiException.Invalid(type, "", "metadata.name: Required value: name or generateName is required");
        }
        // RBAC names are path segments (ValidateRBACName), so "system:discovery" is valid.
        if (type.Group == ResourceCatalog.Roles.Group)
        {
            var problem = name is "." or ".." ? $"may not be '{name}'" : name.Contains('/') ? "may not contain '/'" : name.Contains('%') ? "may not contain '%'" : null;
            if (problem is not null)
            {
                throw ApiException.Invalid(type, name, $"metadata.name: Invalid value: \"{name}\": {problem}");
            }
            return;
        }
        var labelOnly = type == ResourceCatalog.Namespaces || type == ResourceCatalog.Services;
        if (labelOnly ? !Dns1123Label().IsMatch(name) || name.Length > 63 : !Dns1123Subdomain().IsMatch(name) || name.Length > 253)
        {
            var what = labelOnly
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
            throw ApiException.Invalid(type, name, $"metadata.name: Invalid value: \"{name}\": {what}");
        }
    }

    public static void ValidateObject(ResourceType type, string name, JsonObject obj)
    {
        if (type == ResourceCatalog.Pods && obj["spec"]?["containers"] is not JsonArray { Count: > 0 })
        {
            throw ApiException.Invalid(type, name, "spec.containers: Required value");
        }
        if (type.Group == "apps")
        {
            if (JsonNumber.Long(obj["spec"]?["replicas"]) is < 0)
            {
                throw ApiException.Invalid(type, name, $"spec.replicas: Invalid value: {obj["spec"]!["replicas"]}: must be greater than or equal to 0");
            }
            if (obj["spec"]?["selector"] is not JsonObject)
            {
                throw ApiException.Invalid(type, name, "spec.selector: Required value");
            }
            if (obj["spec"]?["template"]?["spec"]?["containers"] is not JsonArray { Count: > 0 })
            {
                throw ApiException.Invalid(type, name, "spec.template.spec.containers: Required value");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();
}
