using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MultiCluster.Simulator.Api;
using MultiCluster.Simulator.Auth;
using MultiCluster.Simulator.Controllers;
using MultiCluster.Simulator.Faults;
using MultiCluster.Simulator.Store;
using MultiCluster.Simulator.VirtualClusters;

namespace MultiCluster.Simulator.Hosting;

/// <summary>One simulated cluster: its API server on its own port, its store, controllers, credentials and faults.</summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly ClusterListener _listener;
    private readonly X509Certificate2? _clientCertificate;
    private readonly Authenticator _authenticator;

    internal SimulatedCluster(ClusterOptions options, SimulatorOptions simulator, CertificateAuthority? authority, X509Certificate2? serverCertificate, int port, bool podsRunOnHost = false)
    {
        Options = simulator;
        Authority = authority;
        PodsRunOnHost = podsRunOnHost;
        Logger = simulator.LoggerFactory.CreateLogger("MultiCluster.Simulator");
        Name = options.Name;
        KubernetesVersion = options.KubernetesVersion;
        Token = options.Token ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        ViewerToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        Store = new ClusterStore(simulator.TimeProvider, simulator.WatchHistoryCapacity, simulator.WatchHistoryWindow);
        Store.OnCommit = Authorizer.Observe;
        Faults = new ClusterFaults(this);
        Controllers = new ClusterControllers(this, options);
        Churn = new WorkloadChurn(this, options.ChurnPerSecond, options.Seed, options.Pods);
        if (authority is not null)
        {
            CertificateAuthorityPem = authority.CertificatePem;
            (_clientCertificate, ClientCertificatePem, ClientKeyPem) = authority.IssueClientCertificate("kubernetes-admin", "system:masters");
        }
        _authenticator = new Authenticator(Token, ViewerToken, _clientCertificate);
        foreach (var user in options.Users)
        {
            _authenticator.Add(user);
        }
        _listener = new ClusterListener(this, new ApiServer(this), simulator.Host, port, serverCertificate);
        BaseUrl = BuildBaseUrl(port);
    }

    public string Name { get; }

    /// <summary>The server URL clients use, e.g. https://127.0.0.1:6443/clusters/dev.</summary>
    public Uri BaseUrl { get; private set; }

    public string Token { get; }

    /// <summary>
    /// A token for the user "viewer", who may get, list and watch everything but is forbidden (403) to change anything:
    /// RBAC's ClusterRoleBinding simulator:viewer grants it the ClusterRole simulator:viewer.
    /// </summary>
    public string ViewerToken { get; }

    public string KubernetesVersion { get; }

    /// <summary>The CA that signed the serving certificate (null over plain HTTP).</summary>
    public string? CertificateAuthorityPem { get; }

    /// <summary>A client certificate (CN=kubernetes-admin, O=system:masters) the cluster also accepts.</summary>
    public string? ClientCertificatePem { get; }

    public string? ClientKeyPem { get; }

    public ClusterStore Store { get; }

    public ClusterFaults Faults { get; }

    /// <summary>Recent requests with the user and groups they ran as, and who impersonated them (Impersonate-User, Impersonate-Group).</summary>
    public RequestLog Requests { get; } = new();

    public WorkloadChurn Churn { get; }

    /// <summary>RBAC over the cluster's Roles, ClusterRoles and bindings, as every request of a user outside system:masters is authorized.</summary>
    public RbacAuthorizer Authorizer { get; } = new();

    public SimulatorOptions Options { get; }

    /// <summary>
    /// The vClusters this cluster hosts, by host namespace and name: a nested simulated cluster each, started once the vCluster's
    /// StatefulSet or Deployment (labelled app=vcluster) has a Ready pod, with <see cref="SimulatedVirtualCluster.IsServing"/>
    /// false while it is paused or its pod is not Ready.
    /// </summary>
    public IReadOnlyDictionary<(string Namespace, string Name), SimulatedVirtualCluster> VirtualClusters => Controllers.VirtualClusters.Clusters;

    internal ClusterControllers Controllers { get; }

    internal CertificateAuthority? Authority { get; }

    /// <summary>A vCluster's nested cluster: its pods are run by the syncer on the host, not by a scheduler and kubelets of its own.</summary>
    internal bool PodsRunOnHost { get; }

    internal ILogger Logger { get; }

    internal bool IsListening => _listener.IsListening;

    internal CancellationToken Lifetime => _listener.Lifetime;

    /// <summary>
    /// Adds a user behind a bearer token, as a line of kube-apiserver's --token-auth-file would, and returns the token
    /// (a new random one unless given). The user is in <paramref name="groups"/> and system:authenticated, and may do what
    /// RBAC grants those; a token that is already in use now authenticates as this user.
    /// </summary>
    public string AddUser(string name, IEnumerable<string>? groups = null, string uid = "", string? token = null)
    {
        token ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _authenticator.Add(new TokenUser(token, name, uid, [.. groups ?? []]));
        return token;
    }

    /// <summary>Forgets a token added with <see cref="AddUser"/>: its requests are 401 from now on.</summary>
    public bool RemoveUser(string token) => _authenticator.Remove(token);

    /// <summary>A KubernetesClient configuration for this cluster, with its CA and the admin's token (or the one given).</summary>
    public KubernetesClientConfiguration CreateClientConfiguration(string? token = null)
    {
        var configuration = new KubernetesClientConfiguration { Host = BaseUrl.ToString().TrimEnd('/'), AccessToken = token ?? Token };
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

    /// <summary>Who a request authenticates as, or null for 401 (every credential is refused while revoked).</summary>
    internal UserInfo? Authenticate(HttpContext context) => Faults.CredentialsRevoked ? null : _authenticator.Authenticate(context);

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
