using System.Buffers;
using System.Globalization;
using System.Text;

namespace MultiCluster.Kubernetes.Clients;

/// <summary>
/// The plaintext side of one HTTP/1.1 connection of an impersonating client. It follows the requests going out (head,
/// then a body framed by Content-Length or chunked encoding) and in each head replaces HttpClient's joined
/// <c>Impersonate-Group: a, b</c> line with one line per group. A head without exactly the impersonation the client was
/// made for fails the request: nothing leaves under the dashboard's identity by mistake. Responses pass through.
/// </summary>
internal sealed class ImpersonationStream(Stream inner, Impersonation impersonation) : Stream
{
    /// <summary>HttpClient's own limit on a response head is 64 KiB; a request head of ours is far smaller.</summary>
    private const int MaxHeadBytes = 64 * 1024;

    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _head = new();
    private readonly ArrayBufferWriter<byte> _line = new();
    private State _state = State.Head;
    private long _remaining;

    private enum State
    {
        Head,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailer,
    }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var output = new ArrayBufferWriter<byte>(buffer.Length + 256);
        Process(buffer, output);
        inner.Write(output.WrittenSpan);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var output = new ArrayBufferWriter<byte>(buffer.Length + 256);
        Process(buffer.Span, output);
        await inner.WriteAsync(output.WrittenMemory, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>Passes <paramref name="data"/> on to <paramref name="output"/>, heads rewritten, wherever the writes split the requests.</summary>
    private void Process(ReadOnlySpan<byte> data, ArrayBufferWriter<byte> output)
    {
        while (data.Length > 0)
        {
            switch (_state)
            {
                case State.Head:
                    data = TakeHead(data, output);
                    break;
                case State.Body or State.ChunkData:
                    var take = (int)Math.Min(_remaining, data.Length);
                    output.Write(data[..take]);
                    data = data[take..];
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = _state == State.Body ? State.Head : State.ChunkDataEnd;
                        _remaining = _state == State.ChunkDataEnd ? 2 : 0;
                    }
                    break;
                case State.ChunkDataEnd:
                    var end = (int)Math.Min(_remaining, data.Length);
                    output.Write(data[..end]);
                    data = data[end..];
                    _remaining -= end;
                    if (_remaining == 0)
                    {
                        _state = State.ChunkSize;
                    }
                    break;
                case State.ChunkSize or State.Trailer:
                    data = TakeLine(data, output);
                    break;
            }
        }
    }

    private ReadOnlySpan<byte> TakeHead(ReadOnlySpan<byte> data, ArrayBufferWriter<byte> output)
    {
        // The end of the head may straddle two writes: look from up to three bytes before the new ones.
        var start = Math.Max(0, _head.WrittenCount - 3);
        var before = _head.WrittenCount;
        var room = MaxHeadBytes - before;
        var chunk = data[..Math.Min(data.Length, room + EndOfHead.Length)];
        _head.Write(chunk);
        var at = _head.WrittenSpan[start..].IndexOf(EndOfHead);
        if (at < 0)
        {
            if (_head.WrittenCount > MaxHeadBytes)
            {
                throw new IOException("A request head of an impersonating client is larger than 64 KiB.");
            }
            return data[chunk.Length..];
        }
        var headLength = start + at + EndOfHead.Length;
        var head = Encoding.Latin1.GetString(_head.WrittenSpan[..(headLength - EndOfHead.Length)]);
        _head.ResetWrittenCount();
        output.Write(Encoding.Latin1.GetBytes(Rewrite(head)));
        return data[(headLength - before)..];
    }

    /// <summary>Passes one line of chunked framing (a chunk's size, or a trailer) and moves on from it.</summary>
    private ReadOnlySpan<byte> TakeLine(ReadOnlySpan<byte> data, ArrayBufferWriter<byte> output)
    {
        var newline = data.IndexOf((byte)'\n');
        var part = newline < 0 ? data : data[..(newline + 1)];
        output.Write(part);
        _line.Write(part);
        if (_line.WrittenCount > 8 * 1024)
        {
            throw new IOException("A line of chunked framing of an impersonating client is longer than 8 KiB.");
        }
        if (newline < 0)
        {
            return [];
        }
        var line = Encoding.Latin1.GetString(_line.WrittenSpan).TrimEnd('\r', '\n');
        _line.ResetWrittenCount();
        if (_state == State.Trailer)
        {
            _state = line.Length == 0 ? State.Head : State.Trailer;
        }
        else
        {
            var size = line.Split(';', 2)[0].Trim();
            if (!long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length) || length < 0)
            {
                throw new IOException($"An impersonating client wrote a chunk size that is not one: '{size}'.");
            }
            (_state, _remaining) = length == 0 ? (State.Trailer, 0L) : (State.ChunkData, length);
        }
        return data[part.Length..];
    }

    /// <summary>The head with one Impersonate-Group line per group; the body's framing noted for what follows.</summary>
    private string Rewrite(string head)
    {
        var lines = head.Split("\r\n");
        var rewritten = new StringBuilder(head.Length + 64 * impersonation.Groups.Count).Append(lines[0]).Append("\r\n");
        int users = 0, groupLines = 0;
        long? contentLength = null;
        var chunked = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].Trim(' ', '\t');
            if (name.Equals(Impersonation.GroupHeader, StringComparison.OrdinalIgnoreCase))
            {
                groupLines++;
                if (value != impersonation.JoinedGroups)
                {
                    throw new IOException("A request of an impersonating client carries groups other than those it was made for.");
                }
                foreach (var group in impersonation.Groups)
                {
                    rewritten.Append(Impersonation.GroupHeader).Append(": ").Append(group).Append("\r\n");
                }
                continue;
            }
            if (name.Equals(Impersonation.UserHeader, StringComparison.OrdinalIgnoreCase))
            {
                users += value == impersonation.User ? 1 : 2;
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            rewritten.Append(line).Append("\r\n");
        }
        if (users != 1 || groupLines != (impersonation.Groups.Count > 0 ? 1 : 0))
        {
            throw new IOException("A request of an impersonating client does not carry the impersonation it was made for.");
        }
        (_state, _remaining) = chunked ? (State.ChunkSize, 0L) : contentLength is > 0 ? (State.Body, contentLength.Value) : (State.Head, 0L);
        return rewritten.Append("\r\n").ToString();
    }
}
