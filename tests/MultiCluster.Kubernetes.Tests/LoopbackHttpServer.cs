using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>
/// A server of the test's own on 127.0.0.1 that answers every request with one fixed HTTP/1.1 response: a
/// service that is not Kubernetes, or one that only looks like it.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly byte[] _response;
    private readonly Task _serving;
    private int _requests;

    public LoopbackHttpServer(HttpStatusCode status, string contentType, string body, string extraHeaders = "")
    {
        var content = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {(int)status} {status}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\nConnection: close\r\n{extraHeaders}\r\n";
        _response = [.. Encoding.ASCII.GetBytes(head), .. content];
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _serving = ServeAsync();
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public int Requests => Volatile.Read(ref _requests);

    public static LoopbackHttpServer Version(string gitVersion) =>
        new(HttpStatusCode.OK, "application/json", $$"""{"major":"1","minor":"31","gitVersion":"{{gitVersion}}","platform":"linux/amd64"}""");

    private async Task ServeAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = new byte[16 * 1024];
                var read = 0;
                while (request.AsSpan(0, read).IndexOf("\r\n\r\n"u8) < 0)
                {
                    var n = await stream.ReadAsync(request.AsMemory(read), _stopping.Token);
                    if (n == 0 || (read += n) == request.Length)
                    {
                        return;
                    }
                }
                Interlocked.Increment(ref _requests);
                await stream.WriteAsync(_response, _stopping.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                // The client went away, or the test is over.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _serving;
        _stopping.Dispose();
    }
}
