using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MultiCluster.Simulator.Api;
using MultiCluster.Simulator.Controllers;
using MultiCluster.Simulator.Faults;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Hosting;

/// <summary>One simulated cluster: its API server on its own port, its store, controllers, credentials and faults.</summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly ClusterListener _listener;
    private readonly X509Certificate2? _clientCertificate;

    internal SimulatedCluster(ClusterOptions options, SimulatorOptions simulator, CertificateAuthority? authority, X509Certificate2? serverCertificate, int port)
    {
        Options = simulator;
        Logger = simulator.LoggerFactory.CreateLogger("MultiCluster.Simulator");
        Name = options.Name;
        KubernetesVersion = options.KubernetesVersion;
        Token = options.Token ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        ViewerToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        Store = new ClusterStore(simulator.TimeProvider, simulator.WatchHistoryCapacity, simulator.WatchHistoryWindow);
        Faults = new ClusterFaults(this);
        Controllers = new ClusterControllers(this, options);
        Churn = new WorkloadChurn(this, options.ChurnPerSecond, options.Seed);
        if (authority is not null)
        {
            CertificateAuthorityPem = authority.CertificatePem;
            (_clientCertificate, ClientCertificatePem, ClientKeyPem) = authority.IssueClientCertificate("kubernetes-admin", "system:masters");
        }
        _listener = new ClusterListener(this, new ApiServer(this), simulator.Host, port, serverCertificate);
        BaseUrl = BuildBaseUrl(port);
    }

    public string Name { get; }

    /// <summary>The server URL clients use, e.g. https://127.0.0.1:6443/clusters/dev.</summary>
    public Uri BaseUrl { get; private set; }

    public string Token { get; }

    /// <summary>A token for the user "viewer", who may get, list and watch but is forbidden (403) to change anything.</summary>
    public string ViewerToken { get; }

    public string KubernetesVersion { get; }

    /// <summary>The CA that signed the serving certificate (null over plain HTTP).</summary>
    public string? CertificateAuthorityPem { get; }

    /// <summary>A client certificate (CN=kubernetes-admin, O=system:masters) the cluster also accepts.</summary>
    public string? ClientCertificatePem { get; }

    public string? ClientKeyPem { get; }

    public ClusterStore Store { get; }

    public ClusterFaults Faults { get; }

    /// <summary>Recent requests with the user they ran as, including impersonation (Impersonate-User, Impersonate-Group).</summary>
    public RequestLog Requests { get; } = new();

    public WorkloadChurn Churn { get; }

    public SimulatorOptions Options { get; }

    internal ClusterControllers Controllers { get; }

    internal ILogger Logger { get; }

    internal bool IsListening => _listener.IsListening;

    internal CancellationToken Lifetime => _listener.Lifetime;

    /// <summary>A KubernetesClient configuration for this cluster, with its token and CA.</summary>
    public KubernetesClientConfiguration CreateClientConfiguration()
    {
        var configuration = new KubernetesClientConfiguration { Host = BaseUrl.ToString().TrimEnd('/'), AccessToken = Token };
        if (CertificateAuthorityPem is not null)
        {
            configuration.SslCaCerts = [X509Certificate2.CreateFromPem(CertificateAuthorityPem)];
        }
        return configuration;
    }

    internal async Task StartAsync()
    {
        await StartListeningAsync();
        Controllers.Start();
        Churn.Start();
    }

    internal async Task StartListeningAsync()
    {
        var port = await _listener.StartAsync();
        BaseUrl = BuildBaseUrl(port);
    }

    internal Task StopListeningAsync() => _listener.StopAsync();

    /// <summary>The user a request authenticates as ("kubernetes-admin" or "viewer"), or null for 401.</summary>
    internal string? Authenticate(HttpContext context)
    {
        if (Faults.CredentialsRevoked)
        {
            return null;
        }
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            var presented = System.Text.Encoding.UTF8.GetBytes(header[7..].Trim());
            return CryptographicOperations.FixedTimeEquals(presented, System.Text.Encoding.UTF8.GetBytes(Token)) ? "kubernetes-admin"
                : CryptographicOperations.FixedTimeEquals(presented, System.Text.Encoding.UTF8.GetBytes(ViewerToken)) ? "viewer"
                : null;
        }
        return header.Length == 0 && _clientCertificate is not null && context.Connection.ClientCertificate is { } certificate &&
            certificate.Thumbprint == _clientCertificate.Thumbprint ? "kubernetes-admin" : null;
    }

    public async ValueTask DisposeAsync()
    {
        await Churn.DisposeAsync();
        await Controllers.DisposeAsync();
        await _listener.DisposeAsync();
        _clientCertificate?.Dispose();
    }

    private Uri BuildBaseUrl(int port) =>
        new($"{(_listener.UsesHttps ? "https" : "http")}://{Options.Host}:{port}/clusters/{Name}");
}
