using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Api;

/// <summary>A request failure that the server answers with a meta/v1 Status body.</summary>
public sealed class ApiException(int code, string reason, string message, string? name = null, string? kind = null, string? group = null)
    : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public int? RetryAfterSeconds { get; init; }

    /// <summary>Machine-readable causes (details.causes), such as NamespaceTerminating or FieldManagerConflict.</summary>
    public IReadOnlyList<(string Type, string Message, string Field)> Causes { get; init; } = [];

    /// <summary>The namespace lifecycle refusal, which controllers do not report as a failed create.</summary>
    public bool IsNamespaceTerminating => Causes.Any(c => c.Type == "NamespaceTerminating");

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (name is not null || kind is not null || RetryAfterSeconds is not null || Causes.Count > 0)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }
            if (group is not null && group.Length > 0)
            {
                details["group"] = group;
            }
            if (kind is not null)
            {
                details["kind"] = kind;
            }
            if (Causes.Count > 0)
            {
                details["causes"] = new JsonArray([.. Causes.Select(c => (JsonNode)new JsonObject { ["type"] = c.Type, ["message"] = c.Message, ["field"] = c.Field })]);
            }
            if (RetryAfterSeconds is { } seconds)
            {
                details["retryAfterSeconds"] = seconds;
            }
            status["details"] = details;
        }
        status["code"] = Code;
        return status;
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException NotFound(Store.ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found", name, type.Plural, type.Group);

    /// <summary>An admission refusal: "pods \"web-1\" is forbidden: exceeded quota: ...", as admission.NewForbidden words it.</summary>
    public static ApiException Forbidden(Store.ResourceType type, string name, string reason, (string Type, string Message, string Field)? cause = null) =>
        new(403, "Forbidden", $"{type.QualifiedName} \"{name}\" is forbidden: {reason}", name, type.Plural, type.Group) { Causes = cause is { } c ? [c] : [] };

    public static ApiException NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource");

    public static ApiException AlreadyExists(Store.ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", name, type.Plural, type.Group);

    public static ApiException Conflict(Store.ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            name, type.Plural, type.Group);

    public static ApiException MethodNotAllowed(string method) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method})");

    public static ApiException Invalid(Store.ResourceType type, string name, string message) =>
        new(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {message}", name, type.Kind, type.Group);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException Gone(string message) => new(410, "Gone", message);

    public static ApiException TooManyRequests(int retryAfterSeconds) =>
        new(429, "TooManyRequests", "Too many requests, please try again later.") { RetryAfterSeconds = retryAfterSeconds };

    public static ApiException InternalError(string message) => new(500, "InternalError", $"Internal error occurred: {message}");

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got {contentType})");
}
