using System.Text.Encodings.Web;
using System.Text.Json;

namespace MultiCluster.Simulator.Store;

/// <summary>Serializer settings matching Go's encoding/json closely enough: quotes escaped as \", not \u0022.</summary>
public static class JsonWire
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
}

/// <summary>Edits of stored JSON that need no tree.</summary>
public static class JsonBytes
{
    /// <summary>
    /// The object's bytes with metadata.resourceVersion set to <paramref name="resourceVersion"/>, found by reading tokens
    /// (metadata comes first, so the read stops early); null when the object has no resourceVersion to replace.
    /// </summary>
    public static byte[]? WithResourceVersion(byte[] json, string resourceVersion)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject ||
            !MoveToValue(ref reader, "metadata"u8, JsonTokenType.StartObject) || !MoveToValue(ref reader, "resourceVersion"u8, JsonTokenType.String))
        {
            return null;
        }
        var start = (int)reader.TokenStartIndex + 1;
        var end = start + reader.ValueSpan.Length;
        var value = System.Text.Encoding.UTF8.GetBytes(resourceVersion);
        var result = new byte[json.Length - (end - start) + value.Length];
        json.AsSpan(0, start).CopyTo(result);
        value.CopyTo(result.AsSpan(start));
        json.AsSpan(end).CopyTo(result.AsSpan(start + value.Length));
        return result;
    }

    /// <summary>From the start of an object, moves to the value of its property <paramref name="name"/>; false when it has none of that type.</summary>
    private static bool MoveToValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, JsonTokenType type)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                return reader.Read() && reader.TokenType == type;
            }
            reader.Skip();
        }
        return false;
    }
}
