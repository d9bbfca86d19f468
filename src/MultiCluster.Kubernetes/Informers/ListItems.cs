using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Kubernetes.Clients;

namespace MultiCluster.Kubernetes.Informers;

/// <summary>
/// The objects of one list response (one page), decoded one at a time from its bytes as they arrive, with KubernetesClient's
/// own serializer settings. KubernetesClient decodes a page into one list object: 500 pods, several megabytes of
/// objects at once, which outlived young collections while a fleet's first lists ran and left the heap they were
/// promoted to twice the size of what the dashboard keeps. Here each object is handed over and dropped before the next
/// is read. A response cut short ends with an <see cref="IOException"/> after the objects before the cut.
/// </summary>
public static class ListItems
{
    // A page arrives in pieces of a few KB to 64 KB; an object longer than the buffer doubles it.
    private const int InitialBuffer = 64 * 1024;

    /// <summary>
    /// Sends the list request, hands each object of its <c>items</c> to <paramref name="onItem"/> in order, and returns the
    /// list's metadata (its resourceVersion and <c>continue</c> token). The objects are decoded with <paramref name="options"/>
    /// (KubernetesClient's own settings when null).
    /// </summary>
    public static async Task<V1ListMeta?> ReadAsync<T, TList>(Func<Task<HttpOperationResponse<TList>>> request, Action<T> onItem, CancellationToken cancellationToken,
        JsonSerializerOptions? options = null)
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        // Only this request's answer is left unread: the flag flows into the call, not back out of this method.
        ClusterApiClient.LeaveListUnread.Value = true;
        using var response = await request();
        ClusterApiClient.LeaveListUnread.Value = false;
        if (response.Body is { } decoded)
        {
            // A client that is not a ClusterApiClient decoded the page itself.
            foreach (var item in decoded.Items)
            {
                onItem(item);
            }
            return decoded.Metadata;
        }
        var decoder = new Decoder<T>((JsonTypeInfo<T>)(options ?? WatchEvents.Options).GetTypeInfo(typeof(T)), onItem);
        await using var body = await response.Response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            var end = 0;
            while (true)
            {
                var read = await body.ReadAsync(buffer.AsMemory(end), cancellationToken);
                end += read;
                if (read == 0)
                {
                    // A page that stops before its end was cut off with the connection: the informer then treats the
                    // server as unreachable, not the page as wrong.
                    return decoder.Complete ? decoder.Metadata : throw new IOException("The list response ended before its last object.");
                }
                var used = decoder.Decode(buffer.AsSpan(0, end));
                buffer.AsSpan(used, end - used).CopyTo(buffer);
                end -= used;
                if (end == buffer.Length)
                {
                    // An object longer than the buffer: a larger one, returned to the pool as well.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Where the decoder is in <c>{"metadata": {...}, "items": [{...}, ...], ...}</c>, kept between pieces of the body.</summary>
    private sealed class Decoder<T>(JsonTypeInfo<T> items, Action<T> onItem)
    {
        private static readonly JsonTypeInfo<V1ListMeta> ListMeta = (JsonTypeInfo<V1ListMeta>)WatchEvents.Options.GetTypeInfo(typeof(V1ListMeta));

        private enum Part
        {
            Start,
            List,
            Items,
            End,
        }

        private JsonReaderState _state;
        private Part _part;

        public V1ListMeta? Metadata { get; private set; }

        public bool Complete => _part == Part.End;

        /// <summary>Reads every whole value in <paramref name="data"/>; returns how many bytes that was (the rest waits for more).</summary>
        public int Decode(ReadOnlySpan<byte> data)
        {
            var reader = new Utf8JsonReader(data, isFinalBlock: false, _state);
            var used = 0;
            while (_part != Part.End && Step(ref reader))
            {
                used = (int)reader.BytesConsumed;
                _state = reader.CurrentState;
            }
            return used;
        }

        /// <summary>One token, or one whole value after a property name or in the items; false when the data stops before its end.</summary>
        private bool Step(ref Utf8JsonReader reader)
        {
            if (!reader.Read())
            {
                return false;
            }
            switch (_part, reader.TokenType)
            {
                case (Part.Start, JsonTokenType.StartObject):
                    _part = Part.List;
                    return true;
                case (Part.List, JsonTokenType.EndObject):
                    _part = Part.End;
                    return true;
                case (Part.List, JsonTokenType.PropertyName):
                    var isItems = reader.ValueTextEquals("items"u8);
                    var isMetadata = !isItems && reader.ValueTextEquals("metadata"u8);
                    if (!reader.Read())
                    {
                        return false;
                    }
                    if (isItems && reader.TokenType == JsonTokenType.StartArray)
                    {
                        // The items are read one by one, as they arrive.
                        _part = Part.Items;
                        return true;
                    }
                    if (!Whole(reader))
                    {
                        return false;
                    }
                    if (isMetadata && reader.TokenType == JsonTokenType.StartObject)
                    {
                        Metadata = JsonSerializer.Deserialize(ref reader, ListMeta);
                    }
                    else
                    {
                        reader.TrySkip();
                    }
                    return true;
                case (Part.Items, JsonTokenType.EndArray):
                    _part = Part.List;
                    return true;
                case (Part.Items, JsonTokenType.StartObject):
                    if (!Whole(reader))
                    {
                        return false;
                    }
                    if (JsonSerializer.Deserialize(ref reader, items) is { } item)
                    {
                        onItem(item);
                    }
                    return true;
                case (Part.Items, JsonTokenType.Null):
                    return true;
                default:
                    throw new JsonException($"A list response has {reader.TokenType} where {(_part == Part.Items ? "an object of its items" : "the list's fields")} should be.");
            }
        }

        /// <summary>Whether the value the reader is on ends within the data read so far.</summary>
        private static bool Whole(Utf8JsonReader reader) => reader.TrySkip();
    }
}
