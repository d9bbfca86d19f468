using Microsoft.AspNetCore.Http;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Auth;

/// <summary>
/// kube-apiserver's impersonation filter: Impersonate-User (a user, or system:serviceaccount:ns:name), Impersonate-Group
/// (repeatable), Impersonate-Uid and Impersonate-Extra-{key}. The requester needs the impersonate verb on each
/// (users, groups, serviceaccounts; uids and userextras/{key} in authentication.k8s.io), names honoured; the
/// impersonated user gets system:authenticated unless system:authenticated or system:unauthenticated is asked for.
/// </summary>
internal static class Impersonation
{
    private const string UserHeader = "Impersonate-User";
    private const string GroupHeader = "Impersonate-Group";
    private const string UidHeader = "Impersonate-Uid";
    private const string ExtraPrefix = "Impersonate-Extra-";
    private const string AuthenticationGroup = "authentication.k8s.io";

    /// <summary>The identity the request runs as: the requester's own, or the one it may impersonate (403 otherwise).</summary>
    public static UserInfo Apply(IHeaderDictionary headers, UserInfo requester, RbacAuthorizer authorizer)
    {
        if (!AsksToImpersonate(headers))
        {
            return requester;
        }
        var user = headers[UserHeader].ToString();
        var groups = headers[GroupHeader].Where(g => g is not null).Select(g => g!).ToList();
        var uid = headers[UidHeader].ToString();
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in headers)
        {
            if (name.StartsWith(ExtraPrefix, StringComparison.OrdinalIgnoreCase))
            {
                extra[Uri.UnescapeDataString(name[ExtraPrefix.Length..].ToLowerInvariant())] = [.. values.Select(v => v ?? "")];
            }
        }
        if (user.Length == 0)
        {
            if (groups.Count > 0 || extra.Count > 0 || uid.Length > 0)
            {
                var requested = groups.Select(g => $"{{Group  {g}    }}")
                    .Concat(extra.SelectMany(e => e.Value.Select(v => $"{{UserExtra  {v}  {AuthenticationGroup}/v1  {e.Key}}}")))
                    .Concat(uid.Length > 0 ? [$"{{UID  {uid}  {AuthenticationGroup}/v1  }}"] : []);
                throw ApiException.InternalError($"requested [{string.Join(' ', requested)}] without impersonating a user");
            }
            return requester;
        }

        var serviceAccount = UserInfo.ServiceAccountOf(user);
        var checks = new List<RequestAttributes>
        {
            serviceAccount is (var saNamespace, var saName)
                ? RequestAttributes.ForResource(requester, "impersonate", "", "serviceaccounts", ns: saNamespace, name: saName)
                : RequestAttributes.ForResource(requester, "impersonate", "", "users", name: user),
        };
        checks.AddRange(groups.Select(g => RequestAttributes.ForResource(requester, "impersonate", "", "groups", name: g)));
        checks.AddRange(extra.SelectMany(e => e.Value.Select(v => RequestAttributes.ForResource(requester, "impersonate", AuthenticationGroup, "userextras", e.Key, name: v))));
        if (uid.Length > 0)
        {
            checks.Add(RequestAttributes.ForResource(requester, "impersonate", AuthenticationGroup, "uids", name: uid));
        }
        foreach (var check in checks)
        {
            var decision = authorizer.Authorize(check);
            if (!decision.Allowed)
            {
                throw Forbidden.Exception(check, decision.Reason);
            }
        }

        var impersonatedGroups = groups.Count == 0 && serviceAccount is (var ns, _)
            ? ["system:serviceaccounts", $"system:serviceaccounts:{ns}"]
            : groups;
        if (user == UserInfo.Anonymous)
        {
            if (!impersonatedGroups.Contains(UserInfo.Unauthenticated))
            {
                impersonatedGroups = [.. impersonatedGroups, UserInfo.Unauthenticated];
            }
        }
        else if (!impersonatedGroups.Contains(UserInfo.Authenticated) && !impersonatedGroups.Contains(UserInfo.Unauthenticated))
        {
            impersonatedGroups = [.. impersonatedGroups, UserInfo.Authenticated];
        }
        return UserInfo.Exactly(user, uid, impersonatedGroups, extra);
    }

    /// <summary>Whether any impersonation header is present: a scan of the header names, before anything is parsed (every request passes here).</summary>
    private static bool AsksToImpersonate(IHeaderDictionary headers)
    {
        foreach (var header in headers)
        {
            if (header.Key.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
