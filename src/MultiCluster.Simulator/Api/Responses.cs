using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>Writes JSON bodies the way kube-apiserver does, lists straight from the stored bytes.</summary>
public static class Responses
{
    public const string Json = "application/json";

    public static async Task WriteAsync(HttpContext context, int statusCode, JsonNode body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = Json;
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, JsonWire.Options), context.RequestAborted);
    }

    public static async Task WriteAsync(HttpContext context, int statusCode, StoredObject obj)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = Json;
        await context.Response.Body.WriteAsync(obj.Json, context.RequestAborted);
    }

    public static async Task WriteStatusAsync(HttpContext context, ApiException error)
    {
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await WriteAsync(context, error.Code, error.ToStatus());
    }

    public static async Task WriteListAsync(HttpContext context, ResourceType type, ListResult list)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = Json;
        var writer = new Utf8JsonWriter(context.Response.BodyWriter, JsonWire.WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", type.ListKind);
            writer.WriteString("apiVersion", type.GroupVersion);
            writer.WritePropertyName("metadata");
            WriteListMetadata(writer, list);
            writer.WriteStartArray("items");
            foreach (var item in list.Items)
            {
                // Items of a list carry no kind or apiVersion in kube-apiserver's output either way; clients accept both.
                writer.WriteRawValue(item.Json, skipInputValidation: true);
                if (writer.BytesPending > 64 * 1024)
                {
                    await writer.FlushAsync(context.RequestAborted);
                }
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted);
        }
    }

    public static void WriteListMetadata(Utf8JsonWriter writer, ListResult list)
    {
        writer.WriteStartObject();
        writer.WriteString("resourceVersion", list.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (list.Continue is not null)
        {
            writer.WriteString("continue", list.Continue);
        }
        if (list.RemainingItemCount is { } remaining)
        {
            writer.WriteNumber("remainingItemCount", remaining);
        }
        writer.WriteEndObject();
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var node = await ReadNodeAsync(context);
        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    public static async Task<JsonNode> ReadNodeAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "";
        if (contentType.StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal))
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            return ProtobufBodies.Decode(buffer.ToArray());
        }
        if (contentType.StartsWith("application/cbor", StringComparison.Ordinal))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got {contentType})");
        }
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)
                ?? throw ApiException.BadRequest("the request body is empty");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the body of the request was in an unknown format: {e.Message}");
        }
    }
}
