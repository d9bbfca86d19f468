using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>Serializer settings matching Go's encoding/json closely enough: quotes escaped as \", not \u0022.</summary>
public static class JsonWire
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>
    /// The node's bytes as <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, JsonSerializerOptions?)"/> writes them
    /// with <see cref="Options"/>, in a buffer this thread reuses: valid until the thread's next call. A write that
    /// changes nothing, or whose bytes are then copied with a new resourceVersion, needs no array of its own.
    /// </summary>
    public static ReadOnlyMemory<byte> SerializeReused(JsonNode node)
    {
        var writer = ReusedWriter();
        node.WriteTo(writer, Options);
        return Written(writer);
    }

    /// <summary>A writer with <see cref="WriterOptions"/> over the buffer this thread reuses, emptied; <see cref="Written"/> gives its bytes.</summary>
    public static Utf8JsonWriter ReusedWriter()
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        return writer;
    }

    /// <summary>What <paramref name="writer"/> (from <see cref="ReusedWriter"/>) wrote: valid until the thread's next use of the buffer.</summary>
    public static ReadOnlyMemory<byte> Written(Utf8JsonWriter writer)
    {
        writer.Flush();
        return _buffer!.WrittenMemory;
    }
}

/// <summary>Edits of stored JSON that need no tree.</summary>
public static class JsonBytes
{
    /// <summary>
    /// The object's bytes with metadata.resourceVersion set to <paramref name="resourceVersion"/>, found by reading tokens
    /// (metadata comes first, so the read stops early); null when the object has no resourceVersion to replace.
    /// </summary>
    public static byte[]? WithResourceVersion(ReadOnlySpan<byte> json, string resourceVersion)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject ||
            !MoveToValue(ref reader, "metadata"u8, JsonTokenType.StartObject) || !MoveToValue(ref reader, "resourceVersion"u8, JsonTokenType.String))
        {
            return null;
        }
        var start = (int)reader.TokenStartIndex + 1;
        var end = start + reader.ValueSpan.Length;
        var length = Encoding.UTF8.GetByteCount(resourceVersion);
        var result = new byte[json.Length - (end - start) + length];
        json[..start].CopyTo(result);
        Encoding.UTF8.GetBytes(resourceVersion, result.AsSpan(start, length));
        json[end..].CopyTo(result.AsSpan(start + length));
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
