using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>
/// A minimal OpenID Connect provider on loopback (discovery, JWKS, authorize, token) that signs in one
/// configured person at once, for the single sign-on test. RS256 id tokens, authorization code flow.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "multicluster";
    public const string ClientSecret = "test-client-secret";

    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, string> _nonces = new();
    private WebApplication? _app;

    public Uri Authority { get; private set; } = default!;

    /// <summary>Who the next sign-in is: subject, name and groups.</summary>
    public (string Subject, string UserName, string[] Groups) Person { get; set; } = ("sub-olivia", "olivia", ["platform-admins"]);

    public static async Task<TestOidcProvider> StartAsync()
    {
        var provider = new TestOidcProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Port 0, bound by Kestrel itself: a port probed free and released could be taken before it is bound.
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        provider._app = builder.Build();
        provider.Map(provider._app);
        await provider._app.StartAsync();
        var address = provider._app.Urls.First();
        provider.Authority = new Uri(address);
        return provider;
    }

    private void Map(WebApplication app)
    {
        // Known once the server has its port (after mapping), so read at request time.
        string Issuer() => Authority.ToString().TrimEnd('/');
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer(),
            ["authorization_endpoint"] = $"{Issuer()}/authorize",
            ["token_endpoint"] = $"{Issuer()}/token",
            ["jwks_uri"] = $"{Issuer()}/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var parameters = _key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "test", n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) } } });
        });
        app.MapGet("/authorize", (HttpRequest request) =>
        {
            var query = request.Query;
            var code = Base64Url(RandomNumberGenerator.GetBytes(16));
            _nonces[code] = query["nonce"].ToString();
            var redirect = query["redirect_uri"].ToString();
            var state = query["state"].ToString();
            if (query["response_mode"] == "form_post")
            {
                var html = $"""
                    <html><body onload="document.forms[0].submit()">
                    <form method="post" action="{WebUtility.HtmlEncode(redirect)}">
                    <input type="hidden" name="code" value="{code}" /><input type="hidden" name="state" value="{WebUtility.HtmlEncode(state)}" />
                    </form></body></html>
                    """;
                return Results.Content(html, "text/html");
            }
            return Results.Redirect($"{redirect}?code={code}&state={Uri.EscapeDataString(state)}");
        });
        app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret || !_nonces.TryRemove(form["code"].ToString(), out var nonce))
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var idToken = Sign(new Dictionary<string, object>
            {
                ["iss"] = Issuer(), ["aud"] = ClientId, ["sub"] = Person.Subject, ["iat"] = now, ["exp"] = now + 300, ["nonce"] = nonce,
                ["preferred_username"] = Person.UserName, ["email"] = $"{Person.UserName}@example.com", ["groups"] = Person.Groups,
            });
            return Results.Json(new { access_token = Base64Url(RandomNumberGenerator.GetBytes(16)), token_type = "Bearer", expires_in = 300, id_token = idToken });
        });
    }

    private string Sign(Dictionary<string, object> claims)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = "test" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        _key.Dispose();
    }
}
