using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Tests;

/// <summary>A plain HttpClient for one simulated cluster: trusts only the simulator's CA, sends the cluster's token.</summary>
public static class RawHttp
{
    public static HttpClient Create(SimulatedCluster cluster, string? token = null)
    {
        var handler = new SocketsHttpHandler();
        if (cluster.CertificateAuthorityPem is { } pem)
        {
            var authority = X509Certificate2.CreateFromPem(pem);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }
        var client = new HttpClient(handler) { BaseAddress = new Uri(cluster.BaseUrl.ToString().TrimEnd('/') + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? cluster.Token);
        return client;
    }

    public static async Task<(int Status, JsonNode Body)> GetJsonAsync(this HttpClient client, string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
