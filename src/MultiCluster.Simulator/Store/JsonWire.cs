using System.Text.Encodings.Web;
using System.Text.Json;

namespace MultiCluster.Simulator.Store;

/// <summary>Serializer settings matching Go's encoding/json closely enough: quotes escaped as \", not \u0022.</summary>
public static class JsonWire
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
}
