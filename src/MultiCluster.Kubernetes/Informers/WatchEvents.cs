using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Kubernetes.Clients;

namespace MultiCluster.Kubernetes.Informers;

/// <summary>
/// The events of one watch response, decoded as they arrive: each line (one JSON event) is parsed once, from its
/// UTF-8 bytes in a pooled buffer, with KubernetesClient's own serializer settings. An ERROR event (a Status, such
/// as 410 Expired) and a line that does not parse go to <c>onError</c>, as KubernetesClient's watch does; a stream
/// cut in the middle of an event ends with an <see cref="IOException"/>.
/// </summary>
public static class WatchEvents
{
    // Most events fit (a pod is a few KB); a longer line doubles it. Every open watch holds one, most of them idle.
    private const int InitialBuffer = 8 * 1024;

    /// <summary>KubernetesClient's serializer settings, shared with <see cref="ListItems"/>.</summary>
    internal static readonly JsonSerializerOptions Options = KubernetesOptions();

    /// <summary>The events of the watch <paramref name="request"/> asked for, their objects decoded with <paramref name="options"/> (KubernetesClient's own when null).</summary>
    public static async IAsyncEnumerable<(WatchEventType Type, T Object)> ReadAsync<T, TList>(Task<HttpOperationResponse<TList>> request, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken, JsonSerializerOptions? options = null)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        using var response = await request;
        if (response.Body is not null)
        {
            throw new InvalidOperationException($"The watch's body was read already: watches need a {nameof(ClusterApiClient)} ({nameof(KubernetesClients)}.{nameof(KubernetesClients.Create)}).");
        }
        var events = (JsonTypeInfo<Watcher<T>.WatchEvent>)(options ?? Options).GetTypeInfo(typeof(Watcher<T>.WatchEvent));
        await using var body = await response.Response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            var start = 0;
            var end = 0;
            // Where the search for the current line's newline goes on from: bytes before it were searched already.
            var searched = 0;
            while (true)
            {
                var newline = buffer.AsSpan(searched, end - searched).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    var length = searched + newline - start;
                    var line = start;
                    start += length + 1;
                    searched = start;
                    if (Parse(buffer.AsSpan(line, length), events, onError) is { } parsed)
                    {
                        yield return parsed;
                    }
                    continue;
                }
                searched = end;
                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    searched -= start;
                    start = 0;
                }
                if (end == buffer.Length)
                {
                    // A line longer than the buffer (a large object): a larger one, returned to the pool as well.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await body.ReadAsync(buffer.AsMemory(end), cancellationToken);
                if (read == 0)
                {
                    if (end > start && Last(buffer.AsSpan(start, end - start), events, onError) is { } last)
                    {
                        yield return last;
                    }
                    yield break;
                }
                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// What is left when the stream ends: the API server ends every event with a newline, so a remainder that does
    /// not parse was cut off with the connection, which the informer resumes from its last resourceVersion
    /// (<see cref="IOException"/>) rather than listing everything again, as it would for an event that is wrong.
    /// </summary>
    private static (WatchEventType, T)? Last<T>(ReadOnlySpan<byte> rest, JsonTypeInfo<Watcher<T>.WatchEvent> events, Action<Exception> onError)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        Exception? cut = null;
        var last = Parse(rest, events, e => cut = e);
        if (cut is JsonException)
        {
            throw new IOException("The watch stream ended in the middle of an event.", cut);
        }
        if (cut is not null)
        {
            onError(cut);
        }
        return last;
    }

    private static (WatchEventType, T)? Parse<T>(ReadOnlySpan<byte> line, JsonTypeInfo<Watcher<T>.WatchEvent> events, Action<Exception> onError)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        line = line.TrimEnd((byte)'\r');
        if (line.IsEmpty || line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
        {
            return null;
        }
        try
        {
            if (IsError(line))
            {
                var status = JsonSerializer.Deserialize(line, (JsonTypeInfo<Watcher<V1Status>.WatchEvent>)Options.GetTypeInfo(typeof(Watcher<V1Status>.WatchEvent)));
                onError(new KubernetesException(status?.Object));
                return null;
            }
            return JsonSerializer.Deserialize(line, events) is { Object: { } item } watchEvent ? (watchEvent.Type, item) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A line that does not parse, or a value KubernetesClient's converters refuse (a date, a quantity).
            onError(ex);
            return null;
        }
    }

    /// <summary>Whether the event's type is ERROR (its object is then a Status, not a <c>T</c>); the API server sends the type first.</summary>
    private static bool IsError(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType)
            {
                return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("ERROR"u8);
            }
            reader.Skip();
        }
        return false;
    }

    /// <summary>KubernetesClient's serializer settings (naming, dates, quantities, its source-generated contracts); read, never changed.</summary>
    private static JsonSerializerOptions KubernetesOptions()
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options!;
    }
}
