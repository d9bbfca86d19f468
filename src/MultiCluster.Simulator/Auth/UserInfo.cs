namespace MultiCluster.Simulator.Auth;

/// <summary>Who a request runs as, after authentication and impersonation: kube-apiserver's user.Info.</summary>
public sealed record UserInfo(string Name, string Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    public const string SystemMasters = "system:masters";
    public const string Authenticated = "system:authenticated";
    public const string Unauthenticated = "system:unauthenticated";
    public const string Anonymous = "system:anonymous";
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Members of system:masters skip authorization altogether, as kube-apiserver's privileged-group authorizer lets them.</summary>
    public bool IsPrivileged { get; } = Groups.Contains(SystemMasters);

    /// <summary>An authenticated user: the groups given plus system:authenticated, as the authenticator chain adds it.</summary>
    public static UserInfo Authenticate(string name, string uid, IEnumerable<string> groups)
    {
        var all = groups.Where(g => g.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (!all.Contains(Authenticated))
        {
            all.Add(Authenticated);
        }
        return new UserInfo(name, uid, all, NoExtra);
    }

    /// <summary>As given, with no group added: a SubjectAccessReview asks about exactly these groups.</summary>
    public static UserInfo Exactly(string name, string uid, IReadOnlyList<string> groups, IReadOnlyDictionary<string, IReadOnlyList<string>>? extra = null) =>
        new(name, uid, groups, extra ?? NoExtra);

    /// <summary>"system:serviceaccount:ns:name" as (ns, name), or null for any other user name.</summary>
    public static (string Namespace, string Name)? ServiceAccountOf(string userName)
    {
        if (!userName.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = userName[ServiceAccountPrefix.Length..].Split(':');
        return parts is [{ Length: > 0 } ns, { Length: > 0 } name] ? (ns, name) : null;
    }
}
