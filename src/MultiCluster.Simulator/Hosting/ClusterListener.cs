using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Hosting;

/// <summary>
/// The Kestrel server of one cluster. Each cluster listens on its own port, so taking one offline
/// really refuses connections while the others keep serving.
/// </summary>
internal sealed class ClusterListener(SimulatedCluster cluster, ApiServer api, string host, int port, X509Certificate2? certificate) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;
    private CancellationTokenSource _lifetime = new();
    private int _disposed;

    public bool UsesHttps => certificate is not null;

    public bool IsListening => _app is not null;

    public CancellationToken Lifetime => _lifetime.Token;

    public async Task<int> StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_app is not null)
            {
                return port;
            }
            _lifetime = new CancellationTokenSource();
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(IPAddress.Parse(host), port, listen =>
                {
                    listen.Protocols = certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                    if (certificate is not null)
                    {
                        listen.UseHttps(new HttpsConnectionAdapterOptions
                        {
                            ServerCertificate = certificate,
                            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                            ClientCertificateValidation = (_, _, _) => true,
                        });
                    }
                });
            });
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
            // The simulator runs inside other programs (the dashboard, tests): it must not take over their Ctrl+C and SIGTERM.
            builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
            var app = builder.Build();
            app.Run(api.HandleAsync);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            port = new Uri(address).Port;
            _app = app;
            return port;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_app is null)
            {
                return;
            }
            await _lifetime.CancelAsync();
            cluster.Store.CloseAllWatches();
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Hosts may stop what they embed more than once (a host's own stop, then its disposal).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await StopAsync();
        _lifetime.Dispose();
        _gate.Dispose();
    }
}

/// <summary>A host lifetime that leaves process signals to the program that embeds the simulator.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
