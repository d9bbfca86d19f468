using System.Security.Cryptography.X509Certificates;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Hosting;

/// <summary>
/// A running simulator: any number of clusters, each with its own API server, credentials and seed.
/// Start one in-process with <see cref="StartAsync"/>; dispose it to stop every cluster.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly CertificateAuthority? _authority;
    private readonly X509Certificate2? _serverCertificate;
    private readonly SemaphoreSlim _changes = new(1, 1);
    // Replaced whole on each add or remove, so readers (Clusters, the indexer, kubeconfigs) need no lock.
    private volatile SimulatedCluster[] _clusters = [];

    private SimulatorHost(SimulatorOptions options)
    {
        Options = options;
        if (options.UseHttps)
        {
            _authority = options.CertificateAuthority is { } kept
                ? new CertificateAuthority(kept.CertificatePem, kept.KeyPem)
                : new CertificateAuthority();
            _serverCertificate = _authority.IssueServerCertificate(options.Host);
        }
    }

    public SimulatorOptions Options { get; }

    public IReadOnlyList<SimulatedCluster> Clusters => _clusters;

    /// <summary>The CA every cluster's serving certificate chains to (null over plain HTTP).</summary>
    public string? CertificateAuthorityPem => _authority?.CertificatePem;

    /// <summary>The CA's certificate and key, to start the same CA next time (<see cref="SimulatorOptions.CertificateAuthority"/>).</summary>
    public (string CertificatePem, string KeyPem)? CertificateAuthorityKeyPair =>
        _authority is null ? null : (_authority.CertificatePem, _authority.KeyPem);

    /// <summary>The share of the pods asked for that Running counts as seeded: churn keeps replacing a few.</summary>
    public const double SeededShare = 0.995;

    /// <summary>Pods Running in every cluster, counted on the stored objects' indexed fields.</summary>
    public long RunningPods() =>
        _clusters.Sum(c => c.Store.Snapshot(ResourceCatalog.Pods).LongCount(p => p.Fields.GetValueOrDefault("status.phase") == "Running"));

    public SimulatedCluster this[string name] =>
        Array.Find(_clusters, c => c.Name == name) ?? throw new KeyNotFoundException($"No simulated cluster named '{name}'.");

    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options)
    {
        if (options.Clusters.Count == 0)
        {
            throw new ArgumentException("At least one cluster is required.", nameof(options));
        }
        if (options.Clusters.Select(c => c.Name).Distinct().Count() != options.Clusters.Count)
        {
            throw new ArgumentException("Cluster names must be unique.", nameof(options));
        }
        var host = new SimulatorHost(options);
        try
        {
            for (var i = 0; i < options.Clusters.Count; i++)
            {
                var port = options.Port == 0 ? 0 : options.Port + i;
                var cluster = new SimulatedCluster(options.Clusters[i], options, host._authority, host._serverCertificate, port);
                host._clusters = [.. host._clusters, cluster];
                await cluster.StartAsync();
            }
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts one more cluster in the running simulator, on a free port (<see cref="SimulatorOptions.Port"/> numbers only the
    /// clusters started with the host). Its name must be unused.
    /// </summary>
    public async Task<SimulatedCluster> AddClusterAsync(ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        await _changes.WaitAsync();
        try
        {
            if (Array.Exists(_clusters, c => c.Name == options.Name))
            {
                throw new ArgumentException($"A simulated cluster named '{options.Name}' already exists.", nameof(options));
            }
            var cluster = new SimulatedCluster(options, Options, _authority, _serverCertificate, port: 0);
            try
            {
                await cluster.StartAsync();
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
            _clusters = [.. _clusters, cluster];
            return cluster;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Stops a cluster and forgets it: its port refuses connections from then on.</summary>
    public async Task RemoveClusterAsync(string name)
    {
        await _changes.WaitAsync();
        try
        {
            var cluster = Array.Find(_clusters, c => c.Name == name) ?? throw new KeyNotFoundException($"No simulated cluster named '{name}'.");
            _clusters = [.. _clusters.Where(c => c != cluster)];
            await cluster.DisposeAsync();
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>A kubeconfig with one context, cluster and user per simulated cluster, named after it.</summary>
    public string BuildKubeconfigYaml(bool useClientCertificates = false) =>
        Kubeconfig.Build(_clusters, useClientCertificates);

    public void WriteKubeconfig(string path, bool useClientCertificates = false) =>
        File.WriteAllText(path, BuildKubeconfigYaml(useClientCertificates));

    public async ValueTask DisposeAsync()
    {
        await _changes.WaitAsync();
        try
        {
            foreach (var cluster in _clusters)
            {
                await cluster.DisposeAsync();
            }
            _clusters = [];
        }
        finally
        {
            _changes.Release();
        }
        _serverCertificate?.Dispose();
        _authority?.Dispose();
    }
}
