using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Auth;

/// <summary>One rbac.authorization.k8s.io/v1 PolicyRule and RBAC's matching of a request against it (evaluation_helpers.go).</summary>
public sealed record PolicyRule(string[] Verbs, string[] ApiGroups, string[] Resources, string[] ResourceNames, string[] NonResourceUrls)
{
    public const string All = "*";

    public static PolicyRule Parse(JsonNode? rule) => new(
        Strings(rule?["verbs"]), Strings(rule?["apiGroups"]), Strings(rule?["resources"]),
        Strings(rule?["resourceNames"]), Strings(rule?["nonResourceURLs"]));

    public static PolicyRule[] ParseAll(JsonNode? rules) => [.. (rules as JsonArray ?? []).Select(Parse)];

    public JsonObject ToJson()
    {
        var rule = new JsonObject { ["verbs"] = JsonStrings(Verbs) };
        if (ApiGroups.Length > 0)
        {
            rule["apiGroups"] = JsonStrings(ApiGroups);
        }
        if (Resources.Length > 0)
        {
            rule["resources"] = JsonStrings(Resources);
        }
        if (ResourceNames.Length > 0)
        {
            rule["resourceNames"] = JsonStrings(ResourceNames);
        }
        if (NonResourceUrls.Length > 0)
        {
            rule["nonResourceURLs"] = JsonStrings(NonResourceUrls);
        }
        return rule;
    }

    public bool Allows(RequestAttributes request) =>
        request.IsResourceRequest
            ? VerbMatches(request.Verb) && ApiGroupMatches(request.ApiGroup) && ResourceMatches(request) && ResourceNameMatches(request.Name)
            : VerbMatches(request.Verb) && NonResourceUrlMatches(request.Path);

    /// <summary>Semantic equality (the aggregation controller's ruleExists): same lists, in the same order.</summary>
    public bool SameAs(PolicyRule other) =>
        Verbs.SequenceEqual(other.Verbs) && ApiGroups.SequenceEqual(other.ApiGroups) && Resources.SequenceEqual(other.Resources) &&
        ResourceNames.SequenceEqual(other.ResourceNames) && NonResourceUrls.SequenceEqual(other.NonResourceUrls);

    private bool VerbMatches(string verb) => Array.Exists(Verbs, v => v == All || v == verb);

    private bool ApiGroupMatches(string group) => Array.Exists(ApiGroups, g => g == All || g == group);

    private bool ResourceMatches(RequestAttributes request)
    {
        var combined = request.Subresource.Length == 0 ? request.Resource : $"{request.Resource}/{request.Subresource}";
        foreach (var resource in Resources)
        {
            if (resource == All || resource == combined)
            {
                return true;
            }
            // "*/scale" grants a subresource of every resource.
            if (request.Subresource.Length > 0 && resource.Length == request.Subresource.Length + 2 &&
                resource.StartsWith("*/", StringComparison.Ordinal) && resource.EndsWith(request.Subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private bool ResourceNameMatches(string name) => ResourceNames.Length == 0 || Array.IndexOf(ResourceNames, name) >= 0;

    private bool NonResourceUrlMatches(string path) => Array.Exists(NonResourceUrls, url =>
        url == All || url == path || (url.EndsWith('*') && path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal)));

    private static string[] Strings(JsonNode? node) => [.. (node as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "")];

    private static JsonArray JsonStrings(string[] values) => new([.. values.Select(v => (JsonNode)v)]);
}
