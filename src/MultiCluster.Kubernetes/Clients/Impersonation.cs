using System.Net;

namespace MultiCluster.Kubernetes.Clients;

/// <summary>
/// The identity a client asks the API server to act as: <c>Impersonate-User</c>, and one <c>Impersonate-Group</c> header
/// line per group. kube-apiserver reads every header line as one value and never splits at commas, while HttpClient joins
/// repeated values of a header into one line (<c>a, b</c>) on HTTP/1.1, which would impersonate one group named "a, b".
/// So the request carries the joined line and <see cref="ImpersonationStream"/>, under TLS, rewrites it into one line per
/// group on its way out. Values are checked here, before any request: no control characters, no commas in groups.
/// </summary>
public sealed class Impersonation
{
    public const string UserHeader = "Impersonate-User";
    public const string GroupHeader = "Impersonate-Group";

    private Impersonation(string user, IReadOnlyList<string> groups)
    {
        User = user;
        Groups = groups;
    }

    public string User { get; }

    public IReadOnlyList<string> Groups { get; }

    /// <summary>The joined line HttpClient writes for the groups, which the stream replaces.</summary>
    internal string JoinedGroups => string.Join(", ", Groups);

    /// <exception cref="ArgumentException">A value is empty, has characters outside printable ASCII, leading or trailing blanks, or (a group) a comma.</exception>
    public static Impersonation Of(string user, IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(groups);
        if (Problem(user, "user", commaAllowed: true) is { } userProblem)
        {
            throw new ArgumentException(userProblem, nameof(user));
        }
        var list = groups.ToList();
        foreach (var group in list)
        {
            if (Problem(group, "group", commaAllowed: false) is { } groupProblem)
            {
                throw new ArgumentException(groupProblem, nameof(groups));
            }
        }
        return new Impersonation(user, list);
    }

    /// <summary>Why <paramref name="value"/> cannot travel as a header value kube-apiserver reads back exactly, or null.</summary>
    private static string? Problem(string value, string what, bool commaAllowed)
    {
        if (value.Length == 0)
        {
            return $"The impersonated {what} cannot be empty.";
        }
        // HTTP trims blanks around a value, and anything outside printable ASCII is either refused by HttpClient or,
        // with CR or LF, a way to write headers of one's own.
        if (value.Any(c => c is < ' ' or > '~') || value[0] == ' ' || value[^1] == ' ')
        {
            return $"The impersonated {what} '{Printable(value)}' has characters a header cannot carry as they are (control characters, non-ASCII, or blanks at either end).";
        }
        return !commaAllowed && value.Contains(',', StringComparison.Ordinal)
            ? $"The impersonated {what} '{value}' has a comma, which would not survive as one header value."
            : null;
    }

    private static string Printable(string value) => string.Concat(value.Select(c => c is < ' ' or > '~' ? '?' : c));

    /// <summary>Sets the headers on every request (HTTP/1.1 only, where the stream can rewrite them).</summary>
    public DelegatingHandler CreateHandler() => new HeaderHandler(this);

    /// <summary>Makes <paramref name="handler"/>'s connections rewrite the groups line (call after anything else that sets up the handler).</summary>
    public void Apply(SocketsHttpHandler handler) =>
        handler.PlaintextStreamFilter = (context, _) => context.NegotiatedHttpVersion.Major == 1
            ? ValueTask.FromResult<Stream>(new ImpersonationStream(context.PlaintextStream, this))
            : throw new HttpRequestException($"Impersonation needs HTTP/1.1; the connection negotiated HTTP/{context.NegotiatedHttpVersion}.");

    private sealed class HeaderHandler(Impersonation impersonation) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // HTTP/2 would pack the joined value in one field the stream cannot reach.
            request.Version = HttpVersion.Version11;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            request.Headers.Remove(UserHeader);
            request.Headers.Remove(GroupHeader);
            request.Headers.TryAddWithoutValidation(UserHeader, impersonation.User);
            if (impersonation.Groups.Count > 0)
            {
                request.Headers.TryAddWithoutValidation(GroupHeader, impersonation.Groups);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
