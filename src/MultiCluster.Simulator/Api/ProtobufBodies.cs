using System.Text;
using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Api;

/// <summary>
/// Decodes the protobuf bodies kubectl's typed commands send ("k8s\0" + runtime.Unknown wrapping the object)
/// into JSON, for the kinds in <see cref="ProtobufSchemas"/> and <see cref="AccessProtobufSchemas"/>. Anything it cannot represent faithfully is 415.
/// </summary>
public static class ProtobufBodies
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(byte[] body)
    {
        if (!body.AsSpan().StartsWith(Magic))
        {
            throw Unsupported("missing the k8s protobuf envelope");
        }
        string? apiVersion = null, kind = null;
        byte[]? raw = null;
        foreach (var (number, wireType, value, bytes) in Fields(body.AsMemory(Magic.Length)))
        {
            if (number == 1 && wireType == 2)
            {
                foreach (var typeMeta in Fields(bytes))
                {
                    (apiVersion, kind) = typeMeta.Number == 1 ? (Encoding.UTF8.GetString(typeMeta.Bytes.Span), kind) : (apiVersion, Encoding.UTF8.GetString(typeMeta.Bytes.Span));
                }
            }
            else if (number == 2 && wireType == 2)
            {
                raw = bytes.ToArray();
            }
            else if (!IsEmpty(wireType, value, bytes))
            {
                throw Unsupported($"unexpected envelope field {number}");
            }
        }
        if (kind is null || raw is null || (!ProtobufSchemas.Kinds.TryGetValue(kind, out var schema) && !AccessProtobufSchemas.Kinds.TryGetValue(kind, out schema)))
        {
            throw Unsupported($"protobuf bodies of kind {kind ?? "(none)"} are not supported; send application/json");
        }
        var obj = DecodeMessage(raw, schema, kind);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static JsonObject DecodeMessage(ReadOnlyMemory<byte> message, ProtoMessage schema, string path)
    {
        var obj = new JsonObject();
        foreach (var (number, wireType, value, bytes) in Fields(message))
        {
            if (!schema.TryGetValue(number, out var field))
            {
                if (!IsEmpty(wireType, value, bytes))
                {
                    throw Unsupported($"field {number} of {path} is not supported in protobuf; send application/json");
                }
                continue;
            }
            var text = wireType == 2 ? Encoding.UTF8.GetString(bytes.Span) : "";
            switch (field.Type)
            {
                case ProtoType.String when text.Length > 0:
                    obj[field.Name] = text;
                    break;
                case ProtoType.Bytes when bytes.Length > 0:
                    obj[field.Name] = Convert.ToBase64String(bytes.Span);
                    break;
                case ProtoType.Bool when value != 0:
                    obj[field.Name] = true;
                    break;
                case ProtoType.Int:
                    obj[field.Name] = (long)value;
                    break;
                case ProtoType.IntOmitZero when value != 0:
                    obj[field.Name] = (long)value;
                    break;
                case ProtoType.IntOrString:
                    obj[field.Name] = IntOrString(bytes);
                    break;
                case ProtoType.Object:
                    obj[field.Name] = DecodeMessage(bytes, field.Nested!, $"{path}.{field.Name}");
                    break;
                case ProtoType.ObjectList:
                    List(obj, field.Name).Add(DecodeMessage(bytes, field.Nested!, $"{path}.{field.Name}"));
                    break;
                case ProtoType.StringList:
                    List(obj, field.Name).Add(text);
                    break;
                case ProtoType.StringMap or ProtoType.BytesMap or ProtoType.QuantityMap:
                    string? key = null;
                    JsonNode? entry = null;
                    foreach (var part in Fields(bytes))
                    {
                        if (part.Number == 1)
                        {
                            key = Encoding.UTF8.GetString(part.Bytes.Span);
                        }
                        else if (part.Number == 2)
                        {
                            entry = field.Type switch
                            {
                                ProtoType.StringMap => Encoding.UTF8.GetString(part.Bytes.Span),
                                ProtoType.BytesMap => Convert.ToBase64String(part.Bytes.Span),
                                _ => QuantityString(part.Bytes),
                            };
                        }
                    }
                    var map = obj[field.Name] as JsonObject ?? [];
                    obj[field.Name] = map;
                    map[key ?? ""] = entry ?? "";
                    break;
            }
        }
        return obj;
    }

    /// <summary>resource.Quantity: field 1 is the quantity's string form ("500m", "2Gi").</summary>
    private static string QuantityString(ReadOnlyMemory<byte> bytes) =>
        Fields(bytes).Where(f => f.Number == 1).Select(f => Encoding.UTF8.GetString(f.Bytes.Span)).LastOrDefault() ?? "0";

    /// <summary>intstr.IntOrString: type (0 int, 1 string), intVal, strVal.</summary>
    private static JsonNode IntOrString(ReadOnlyMemory<byte> bytes)
    {
        ulong type = 0, number = 0;
        var text = "";
        foreach (var part in Fields(bytes))
        {
            switch (part.Number)
            {
                case 1:
                    type = part.Value;
                    break;
                case 2:
                    number = part.Value;
                    break;
                case 3:
                    text = Encoding.UTF8.GetString(part.Bytes.Span);
                    break;
            }
        }
        return type == 1 ? JsonValue.Create(text) : JsonValue.Create((long)number);
    }

    private static JsonArray List(JsonObject obj, string name)
    {
        var list = obj[name] as JsonArray ?? [];
        obj[name] = list;
        return list;
    }

    /// <summary>Go's proto2 encoding writes unset non-pointer fields as zero values; those carry nothing and are skipped.</summary>
    private static bool IsEmpty(int wireType, ulong value, ReadOnlyMemory<byte> bytes)
    {
        if (wireType == 0 || wireType == 1 || wireType == 5)
        {
            return value == 0;
        }
        if (bytes.Length == 0)
        {
            return true;
        }
        try
        {
            return Fields(bytes).All(f => IsEmpty(f.WireType, f.Value, f.Bytes));
        }
        catch (ApiException)
        {
            return false;
        }
    }

    private static IEnumerable<(int Number, int WireType, ulong Value, ReadOnlyMemory<byte> Bytes)> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message.Span, ref position);
            var number = (int)(key >> 3);
            var wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    yield return (number, 0, Varint(message.Span, ref position), ReadOnlyMemory<byte>.Empty);
                    break;
                case 2:
                    var length = (int)Varint(message.Span, ref position);
                    if (length < 0 || position + length > message.Length)
                    {
                        throw Unsupported("truncated protobuf body");
                    }
                    yield return (number, 2, 0, message.Slice(position, length));
                    position += length;
                    break;
                case 1 or 5:
                    var size = wireType == 1 ? 8 : 4;
                    if (position + size > message.Length)
                    {
                        throw Unsupported("truncated protobuf body");
                    }
                    var fixedValue = 0UL;
                    for (var i = size - 1; i >= 0; i--)
                    {
                        fixedValue = (fixedValue << 8) | message.Span[position + i];
                    }
                    position += size;
                    yield return (number, wireType, fixedValue, ReadOnlyMemory<byte>.Empty);
                    break;
                default:
                    throw Unsupported($"unsupported protobuf wire type {wireType}");
            }
        }
    }

    private static ulong Varint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw Unsupported("truncated protobuf varint");
            }
            var b = span[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw Unsupported("malformed protobuf varint");
    }

    private static ApiException Unsupported(string detail) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml ({detail})");
}
