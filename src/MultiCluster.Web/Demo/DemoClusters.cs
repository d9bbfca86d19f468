using System.Security.Claims;
using Microsoft.Extensions.Options;
using MultiCluster.Core;
using MultiCluster.Data;
using k8s;
using k8s.Models;
using MultiCluster.Simulator.Faults;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.Demo;

/// <summary>
/// The embedded demo: three simulated clusters in this process, registered through the same path a user
/// takes, with something to triage (a crash-looping Deployment, a NotReady node), a quota policy and a nearly
/// full quota (<see cref="DemoQuotas"/>), a running and a paused vCluster (<see cref="DemoVirtualClusters"/>), and a kubeconfig beside the
/// registry so kubectl works too. Started only for an empty registry, or to keep earlier demo clusters alive.
/// </summary>
public sealed partial class DemoClusters(
    IOptions<DemoOptions> options, IOptions<DatabaseOptions> database, IHostEnvironment environment,
    ClusterRegistry registry, MultiCluster.Web.Quotas.QuotaPolicies quotaPolicies, IServiceProvider services, ILogger<DemoClusters> logger) : BackgroundService
{
    public const string KubeconfigFileName = "demo.kubeconfig";

    private static readonly (string Name, int Nodes, int Pods, string Version, Dictionary<string, string> Labels)[] Fleet =
    [
        ("prod-us-east", 12, 360, "v1.32.2", new() { ["env"] = "prod", ["region"] = "us-east", ["provider"] = "simulator", ["team"] = "payments" }),
        ("prod-eu-west", 8, 240, "v1.31.4", new() { ["env"] = "prod", ["region"] = "eu-west", ["provider"] = "simulator", ["team"] = "search" }),
        ("dev", 3, 90, "v1.33.0", new() { ["env"] = "dev", ["region"] = "eu-west", ["provider"] = "simulator" }),
    ];

    private SimulatorHost? _simulator;

    public SimulatorHost? Simulator => _simulator;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!(options.Value.Enabled ?? environment.IsDevelopment()))
        {
            return;
        }
        var dataDirectory = database.Value.DataDirectory;
        var state = DemoState.Load(dataDirectory);
        var registered = await registry.ListAsync(stoppingToken);
        if (state is null && registered.Count > 0)
        {
            LogSkipped(logger);
            return;
        }
        try
        {
            _simulator = await SimulatorHost.StartAsync(new SimulatorOptions
            {
                Port = options.Value.Port,
                CertificateAuthority = state is null ? null : (state.CertificateAuthorityPem, state.CertificateAuthorityKeyPem),
                Clusters = Fleet.Select((c, i) => new ClusterOptions
                {
                    Name = c.Name, Nodes = c.Nodes, Pods = c.Pods, KubernetesVersion = c.Version, Seed = i + 1, ChurnPerSecond = 0.5,
                    Token = state?.Tokens.GetValueOrDefault(c.Name) ?? DemoState.NewToken(),
                }).ToList(),
            });
        }
        catch (IOException ex)
        {
            LogNotStarted(logger, options.Value.Port, ex.Message);
            return;
        }
        var keyPair = _simulator.CertificateAuthorityKeyPair!.Value;
        new DemoState(_simulator.Clusters.ToDictionary(c => c.Name, c => c.Token), keyPair.CertificatePem, keyPair.KeyPem).Save(dataDirectory);
        var kubeconfig = Path.Combine(dataDirectory, KubeconfigFileName);
        _simulator.WriteKubeconfig(kubeconfig);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(kubeconfig, UnixFileMode.UserRead | UnixFileMode.UserWrite); // it holds the demo tokens
        }
        LogStarted(logger, _simulator.Clusters.Count, kubeconfig);

        if (registered.Count == 0)
        {
            await RegisterAsync(stoppingToken);
        }
        await AddTroubleAsync(stoppingToken);
        await DemoQuotas.FillOneQuotaAsync(_simulator["dev"], stoppingToken);
        if (options.Value.VirtualClusters && await DemoVirtualClusters.EnsureAsync(services, _simulator, Demo, stoppingToken) is { } vclusterProblem)
        {
            LogVirtualClustersNotMade(logger, vclusterProblem);
        }
    }

    /// <summary>Who the demo's own changes are made as (and audited as).</summary>
    private static readonly ClaimsPrincipal Demo = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "system:demo"), new Claim(ClaimTypes.Role, DashboardRoles.Administrator)], "demo"));

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var demo = Demo;
        var registrations = Fleet.Select(c => new ClusterRegistration(c.Name, null, _simulator![c.Name].BaseUrl, new ClusterCredentials
        {
            Token = _simulator[c.Name].Token,
            CertificateAuthorityPem = _simulator.CertificateAuthorityPem,
        }, c.Labels)).ToList();
        var outcome = await registry.RegisterAsync(demo, registrations, cancellationToken);
        if (!outcome.Succeeded)
        {
            LogNotRegistered(logger, string.Join(" ", outcome.Results.Select(r => $"{r.Name}: {r.Problem}")));
        }
        if (await DemoQuotas.SavePolicyAsync(quotaPolicies, demo, cancellationToken) is { } problem)
        {
            LogPolicyNotSaved(logger, problem);
        }
        if (options.Value.People && await DemoAccess.SaveAsync(services, demo, environment.IsDevelopment() ? Console.Out : null, cancellationToken) is { } accessProblem)
        {
            LogAccessNotSaved(logger, accessProblem);
        }
    }

    /// <summary>
    /// Something for the triage page: a crash-looping Deployment (its pods come from a faulty template, so the
    /// demo's churn replacing one keeps it crash-looping) and a NotReady node.
    /// </summary>
    private async Task AddTroubleAsync(CancellationToken cancellationToken)
    {
        var eu = _simulator!["prod-eu-west"];
        using var client = new k8s.Kubernetes(eu.CreateClientConfiguration());
        try
        {
            await client.AppsV1.CreateNamespacedDeploymentAsync(
                Deployment("checkout", "registry.example/checkout:2.3.1", 3, new Dictionary<string, string> { [FaultAnnotations.PodFault] = FaultAnnotations.CrashLoopBackOff }),
                "team-a", cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Kept from an earlier start of the demo.
        }
        _simulator["prod-us-east"].Faults.SetNodeNotReady("prod-us-east-worker3");
    }

    /// <summary>A demo Deployment: <paramref name="replicas"/> pods of one container, labelled <c>app=&lt;name&gt;</c>.</summary>
    internal static V1Deployment Deployment(string name, string image, int replicas, IDictionary<string, string>? podAnnotations = null)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        return new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels, Annotations = podAnnotations },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = image }] },
                },
            },
        };
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The host may stop its services twice (its own shutdown, then its disposal): stop the clusters once.
        if (Interlocked.Exchange(ref _simulator, null) is { } simulator)
        {
            await simulator.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Demo clusters: {Count} simulated clusters running; kubectl --kubeconfig {Kubeconfig} get pods -A")]
    private static partial void LogStarted(ILogger logger, int count, string kubeconfig);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Demo clusters not started: the registry already has clusters of its own")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Demo clusters not started: ports from {Port} are not free ({Reason}); set Demo:Port or Demo:Enabled=false")]
    private static partial void LogNotStarted(ILogger logger, int port, string reason);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Demo clusters could not be registered: {Problems}")]
    private static partial void LogNotRegistered(ILogger logger, string problems);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "The demo's quota policy could not be saved: {Problems}")]
    private static partial void LogPolicyNotSaved(ILogger logger, string problems);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "The demo's vClusters could not be made: {Problems}")]
    private static partial void LogVirtualClustersNotMade(ILogger logger, string problems);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "The demo's teams, grants or people could not be saved: {Problems}")]
    private static partial void LogAccessNotSaved(ILogger logger, string problems);
}
