using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>
/// /openapi/v2 and /openapi/v3 for the served kinds. kubectl reads them before create and apply: to validate,
/// and to learn that the server validates fields itself (the fieldValidation parameter on PATCH).
/// </summary>
public static class OpenApiDocuments
{
    private static readonly Lazy<JsonObject> V2Document = new(BuildV2);
    private static readonly Lazy<OpenApiSchemas> V3Schemas = new(() => OpenApiSchemas.Build(v3: true));

    public static JsonObject V2() => V2Document.Value;

    public static JsonObject V3Index(string basePath)
    {
        var paths = new JsonObject();
        foreach (var groupVersion in GroupVersionPaths())
        {
            paths[groupVersion] = new JsonObject { ["serverRelativeURL"] = $"{basePath}/openapi/v3/{groupVersion}?hash=1" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? V3(string groupVersionPath)
    {
        var types = ResourceCatalog.All.Where(t => PathOf(t) == groupVersionPath).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var schemas = V3Schemas.Value;
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.2" },
            ["paths"] = Paths(types, schemas, "#/components/schemas/", v3: true),
            ["components"] = new JsonObject { ["schemas"] = schemas.Definitions.DeepClone() },
        };
    }

    private static JsonObject BuildV2()
    {
        var schemas = OpenApiSchemas.Build(v3: false);
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.2" },
            ["paths"] = Paths(ResourceCatalog.All, schemas, "#/definitions/", v3: false),
            ["definitions"] = schemas.Definitions,
        };
    }

    private static IEnumerable<string> GroupVersionPaths() => ResourceCatalog.All.Select(PathOf).Distinct();

    private static string PathOf(ResourceType type) => type.Group.Length == 0 ? "api/v1" : $"apis/{type.Group}/{type.Version}";

    private static JsonObject Paths(IEnumerable<ResourceType> types, OpenApiSchemas schemas, string refPrefix, bool v3)
    {
        var paths = new JsonObject();
        foreach (var type in types)
        {
            if (!schemas.KindNames.TryGetValue(type, out var definition))
            {
                continue;
            }
            var path = type.Namespaced
                ? $"/{PathOf(type)}/namespaces/{{namespace}}/{type.Plural}/{{name}}"
                : $"/{PathOf(type)}/{type.Plural}/{{name}}";
            var schemaRef = new JsonObject { ["$ref"] = refPrefix + definition };
            JsonObject Operation(string verb, string action)
            {
                var parameters = new JsonArray(
                    QueryParameter("dryRun", v3), QueryParameter("fieldManager", v3), QueryParameter("fieldValidation", v3));
                var response = v3
                    ? new JsonObject { ["description"] = "OK", ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schemaRef.DeepClone() } } }
                    : new JsonObject { ["description"] = "OK", ["schema"] = schemaRef.DeepClone() };
                return new JsonObject
                {
                    ["operationId"] = $"{verb}{type.Kind}",
                    ["parameters"] = parameters,
                    ["responses"] = new JsonObject { ["200"] = response },
                    ["x-kubernetes-action"] = action,
                    ["x-kubernetes-group-version-kind"] = OpenApiSchemas.GroupVersionKind(type)[0]!.DeepClone(),
                };
            }
            paths[path] = new JsonObject
            {
                ["get"] = Operation("read", "get"),
                ["put"] = Operation("replace", "put"),
                ["patch"] = Operation("patch", "patch"),
                ["delete"] = Operation("delete", "delete"),
            };
        }
        return paths;
    }

    private static JsonObject QueryParameter(string name, bool v3) => v3
        ? new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" }, ["uniqueItems"] = true }
        : new JsonObject { ["name"] = name, ["in"] = "query", ["type"] = "string", ["uniqueItems"] = true };
}
