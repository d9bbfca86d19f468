using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace MultiCluster.Web.Hosting;

/// <summary>
/// <c>ForwardedHeaders:*</c>: behind a TLS-terminating proxy, believe its <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> (only from the proxies named here; loopback when none are), so the request is HTTPS to the
/// app: cookies stay Secure, HSTS is sent, the single sign-on redirect address is https, client addresses are real.
/// </summary>
public sealed class ProxySettings
{
    public const string Section = "ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies, such as 10.0.0.5.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR form, such as 10.0.0.0/8 (a Kubernetes pod network).</summary>
    public string[] KnownNetworks { get; set; } = [];

    public static ProxySettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ProxySettings>() ?? new ProxySettings();

    /// <summary>The middleware's options; a malformed address stops the app with the setting's name.</summary>
    public ForwardedHeadersOptions ToOptions()
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost };
        foreach (var proxy in KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"{Section}:KnownProxies has '{proxy}', which is not an IP address."));
        }
        foreach (var network in KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"{Section}:KnownNetworks has '{network}', which is not a network such as 10.0.0.0/8."));
        }
        return options;
    }
}
