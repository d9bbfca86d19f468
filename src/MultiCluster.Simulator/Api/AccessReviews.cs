using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MultiCluster.Simulator.Auth;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>
/// The reviews kube-apiserver answers without storing anything: authorization.k8s.io/v1 SubjectAccessReview,
/// LocalSubjectAccessReview, SelfSubjectAccessReview and SelfSubjectRulesReview (what kubectl auth can-i sends), and
/// authentication.k8s.io/v1 SelfSubjectReview (kubectl auth whoami). Each is a create that returns the review with its status.
/// </summary>
internal sealed class AccessReviews(RbacAuthorizer authorizer)
{
    /// <summary>The review a path names (/apis/{group}/v1/{plural} or .../namespaces/{ns}/{plural}), with its namespace.</summary>
    public static (ResourceType Type, string? Namespace)? Parse(string group, string version, string[] rest) => rest switch
    {
        [var plural] when ResourceCatalog.FindReview(group, version, plural) is { Namespaced: false } type => (type, null),
        ["namespaces", var ns, var plural] when ResourceCatalog.FindReview(group, version, plural) is { Namespaced: true } type => (type, ns),
        _ => null,
    };

    public async Task HandleAsync(HttpContext context, ResourceType type, string? ns, UserInfo user)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiException.MethodNotAllowed(context.Request.Method);
        }
        var review = await Responses.ReadObjectAsync(context);
        var metadata = review["metadata"] as JsonObject ?? [];
        var answer = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion, ["metadata"] = metadata.DeepClone() };
        if (type == ResourceCatalog.SelfSubjectReviews)
        {
            answer["status"] = new JsonObject { ["userInfo"] = UserInfoJson(user) };
        }
        else if (type == ResourceCatalog.SelfSubjectRulesReviews)
        {
            var spec = review["spec"] as JsonObject ?? [];
            var reviewed = (string?)spec["namespace"] ?? "";
            if (reviewed.Length == 0)
            {
                throw ApiException.BadRequest("no namespace on request");
            }
            answer["spec"] = spec.DeepClone();
            answer["status"] = RulesStatus(authorizer.RulesFor(user, reviewed));
        }
        else
        {
            var spec = review["spec"] as JsonObject ?? [];
            answer["spec"] = spec.DeepClone();
            var subject = type == ResourceCatalog.SelfSubjectAccessReviews ? user : Subject(type, spec);
            if (type == ResourceCatalog.LocalSubjectAccessReviews)
            {
                CheckNamespace(ns!, metadata, spec);
                ((JsonObject)answer["metadata"]!)["namespace"] = ns;
            }
            var decision = authorizer.Authorize(Attributes(type, subject, spec));
            var status = new JsonObject { ["allowed"] = decision.Allowed };
            if (decision.Reason.Length > 0)
            {
                status["reason"] = decision.Reason;
            }
            if (decision.EvaluationError.Length > 0)
            {
                status["evaluationError"] = decision.EvaluationError;
            }
            answer["status"] = status;
        }
        await Responses.WriteAsync(context, 201, answer);
    }

    /// <summary>The user a (Local)SubjectAccessReview asks about: exactly its user, groups, uid and extra (no group is added).</summary>
    private static UserInfo Subject(ResourceType type, JsonObject spec)
    {
        var name = (string?)spec["user"] ?? "";
        var groups = (spec["groups"] as JsonArray ?? []).Select(g => g?.ToString() ?? "").ToList();
        if (name.Length == 0 && groups.Count == 0)
        {
            throw Invalid(type, "spec.user: Invalid value: \"\": at least one of user or group must be specified");
        }
        var extra = (spec["extra"] as JsonObject ?? []).ToDictionary(
            e => e.Key, e => (IReadOnlyList<string>)[.. (e.Value as JsonArray ?? []).Select(v => v?.ToString() ?? "")], StringComparer.Ordinal);
        return UserInfo.Exactly(name, (string?)spec["uid"] ?? "", groups, extra);
    }

    private static RequestAttributes Attributes(ResourceType type, UserInfo user, JsonObject spec)
    {
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if (resource is null && nonResource is null)
        {
            throw Invalid(type, "spec.resourceAttributes: Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        if (resource is not null && nonResource is not null)
        {
            throw Invalid(type, $"spec.nonResourceAttributes: Invalid value: \"{nonResource.ToJsonString()}\": cannot be specified in combination with resourceAttributes");
        }
        string Field(JsonObject attributes, string name) => (string?)attributes[name] ?? "";
        return resource is not null
            ? RequestAttributes.ForResource(user, Field(resource, "verb"), Field(resource, "group"), Field(resource, "resource"),
                Field(resource, "subresource"), Field(resource, "namespace"), Field(resource, "name"))
            : RequestAttributes.ForPath(user, Field(nonResource!, "verb"), Field(nonResource!, "path"));
    }

    /// <summary>A LocalSubjectAccessReview asks about its own namespace only (ValidateLocalSubjectAccessReview).</summary>
    private static void CheckNamespace(string ns, JsonObject metadata, JsonObject spec)
    {
        var type = ResourceCatalog.LocalSubjectAccessReviews;
        if ((string?)metadata["namespace"] is { Length: > 0 } bodyNamespace && bodyNamespace != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        if (spec["nonResourceAttributes"] is JsonObject nonResource)
        {
            throw Invalid(type, $"spec.nonResourceAttributes: Invalid value: \"{nonResource.ToJsonString()}\": disallowed on this kind of request");
        }
        if (spec["resourceAttributes"] is JsonObject resource && ((string?)resource["namespace"] ?? "") != ns)
        {
            throw Invalid(type, $"spec.resourceAttributes.namespace: Invalid value: \"{(string?)resource["namespace"]}\": must match metadata.namespace");
        }
    }

    private static JsonObject RulesStatus((IReadOnlyList<PolicyRule> Rules, string EvaluationError) found)
    {
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in found.Rules)
        {
            var json = rule.ToJson();
            if (rule.Resources.Length > 0)
            {
                json.Remove("nonResourceURLs");
                resourceRules.Add(json);
            }
            if (rule.NonResourceUrls.Length > 0)
            {
                nonResourceRules.Add(new JsonObject { ["verbs"] = json["verbs"]!.DeepClone(), ["nonResourceURLs"] = new JsonArray([.. rule.NonResourceUrls.Select(u => (JsonNode)u)]) });
            }
        }
        var status = new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
        if (found.EvaluationError.Length > 0)
        {
            status["evaluationError"] = found.EvaluationError;
        }
        return status;
    }

    private static JsonObject UserInfoJson(UserInfo user)
    {
        var info = new JsonObject { ["username"] = user.Name };
        if (user.Uid.Length > 0)
        {
            info["uid"] = user.Uid;
        }
        info["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]);
        if (user.Extra.Count > 0)
        {
            info["extra"] = new JsonObject(user.Extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(v => (JsonNode)v)]))));
        }
        return info;
    }

    /// <summary>apierrors.NewInvalid for a review: the kind qualified by its group, and no name.</summary>
    private static ApiException Invalid(ResourceType type, string cause) =>
        new(422, "Invalid", $"{type.Kind}.{type.Group} \"\" is invalid: {cause}", null, type.Kind, type.Group);
}
