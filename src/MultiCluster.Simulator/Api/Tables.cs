using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>Server-side printing: meta.k8s.io/v1 Table responses with the columns a real cluster prints.</summary>
public static class Tables
{
    public static bool IsRequested(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Split(',').FirstOrDefault()?.Contains("as=Table", StringComparison.Ordinal) == true;

    public static JsonObject ForList(ApiRequest request, ListResult list, DateTimeOffset now)
    {
        var printer = TablePrinters.For(request.Type);
        var include = request.Query["includeObject"].ToString() is { Length: > 0 } value ? value : "Metadata";
        var rows = new JsonArray();
        foreach (var item in list.Items)
        {
            var obj = item.ToJsonObject();
            var row = new JsonObject { ["cells"] = new JsonArray([.. printer.Cells(obj, now)]) };
            if (include == "Object")
            {
                row["object"] = obj;
            }
            else if (include == "Metadata")
            {
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]!.DeepClone(),
                };
            }
            rows.Add(row);
        }
        var metadata = new JsonObject { ["resourceVersion"] = list.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (list.Continue is not null)
        {
            metadata["continue"] = list.Continue;
        }
        if (list.RemainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray([.. printer.Columns.Select(c => (JsonNode)c.ToJson())]),
            ["rows"] = rows,
        };
    }
}

public sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "")
{
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}

public sealed record TablePrinter(IReadOnlyList<TableColumn> Columns, Func<JsonObject, DateTimeOffset, IEnumerable<JsonNode?>> Cells);
