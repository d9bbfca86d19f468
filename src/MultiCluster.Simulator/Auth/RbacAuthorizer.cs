using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Auth;

/// <summary>An authorizer's answer: allowed or not (RBAC never denies outright, it has no opinion), and why.</summary>
public sealed record Decision(bool Allowed, string Reason, string EvaluationError = "");

/// <summary>
/// kube-apiserver's authorizer chain as a kubeadm cluster runs it: system:masters is allowed everything (the
/// privileged-group authorizer), everyone else is decided by RBAC. Roles and bindings are kept parsed, updated from the
/// store's commits as they happen, and bindings are indexed by subject and namespace, so a check reads only the
/// bindings of the user's name and groups.
/// </summary>
public sealed class RbacAuthorizer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PolicyRule[]> _clusterRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyRule[]> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<(bool Cluster, string Key), Binding> _bindings = [];
    private readonly Dictionary<string, HashSet<Binding>> _bySubject = new(StringComparer.Ordinal);

    public Decision Authorize(RequestAttributes request)
    {
        if (request.User.IsPrivileged)
        {
            return new Decision(true, "");
        }
        var errors = new List<string>();
        lock (_lock)
        {
            foreach (var binding in BindingsFor(request.User, request.Namespace))
            {
                if (RulesOf(binding) is not { } rules)
                {
                    errors.Add(MissingRole(binding));
                    continue;
                }
                if (Array.Exists(rules, r => r.Allows(request)))
                {
                    return new Decision(true, $"RBAC: allowed by {Describe(binding, request.User)}");
                }
            }
        }
        return new Decision(false, errors.Count == 0 ? "" : $"RBAC: {Aggregate(errors)}");
    }

    /// <summary>Every rule that applies to the user in the namespace (cluster-wide ones included), as SelfSubjectRulesReview lists them.</summary>
    public (IReadOnlyList<PolicyRule> Rules, string EvaluationError) RulesFor(UserInfo user, string ns)
    {
        var rules = new List<PolicyRule>();
        var errors = new List<string>();
        lock (_lock)
        {
            foreach (var binding in BindingsFor(user, ns))
            {
                if (RulesOf(binding) is { } found)
                {
                    rules.AddRange(found);
                }
                else
                {
                    errors.Add(MissingRole(binding));
                }
            }
        }
        return (rules, errors.Count == 0 ? "" : Aggregate(errors));
    }

    /// <summary>Follows the store's commits (called under the store's lock, so a change authorizes the very next request).</summary>
    internal void Observe(WatchEvent change)
    {
        var type = change.Object.Type;
        if (type.Group != ResourceCatalog.Roles.Group)
        {
            return;
        }
        var deleted = change.Type == WatchEvent.Deleted;
        var json = deleted ? null : change.Object.ToJsonObject();
        lock (_lock)
        {
            if (type == ResourceCatalog.ClusterRoles || type == ResourceCatalog.Roles)
            {
                var roles = type == ResourceCatalog.ClusterRoles ? _clusterRoles : _roles;
                if (deleted)
                {
                    roles.Remove(change.Object.Key);
                }
                else
                {
                    roles[change.Object.Key] = PolicyRule.ParseAll(json!["rules"]);
                }
                return;
            }
            var key = (type == ResourceCatalog.ClusterRoleBindings, change.Object.Key);
            if (_bindings.Remove(key, out var old))
            {
                foreach (var subject in SubjectKeys(old))
                {
                    _bySubject[subject].Remove(old);
                }
            }
            if (!deleted)
            {
                var binding = Binding.Parse(key.Item1, change.Object.Namespace, change.Object.Name, json!);
                _bindings[key] = binding;
                foreach (var subject in SubjectKeys(binding))
                {
                    if (!_bySubject.TryGetValue(subject, out var set))
                    {
                        set = [];
                        _bySubject[subject] = set;
                    }
                    set.Add(binding);
                }
            }
        }
    }

    /// <summary>The bindings whose subjects include the user: ClusterRoleBindings by name, then the namespace's RoleBindings by name.</summary>
    private List<Binding> BindingsFor(UserInfo user, string ns)
    {
        var found = new HashSet<Binding>();
        void Add(string subject, string bindingNamespace)
        {
            if (_bySubject.TryGetValue(IndexKey(subject, bindingNamespace), out var bindings))
            {
                found.UnionWith(bindings);
            }
        }
        foreach (var bindingNamespace in ns.Length == 0 ? [""] : new[] { "", ns })
        {
            Add($"User:{user.Name}", bindingNamespace);
            foreach (var group in user.Groups)
            {
                Add($"Group:{group}", bindingNamespace);
            }
            if (UserInfo.ServiceAccountOf(user.Name) is (var saNamespace, var saName))
            {
                Add($"ServiceAccount:{saNamespace}/{saName}", bindingNamespace);
            }
        }
        return [.. found.OrderBy(b => b.Namespace.Length == 0 ? 0 : 1).ThenBy(b => b.Name, StringComparer.Ordinal)];
    }

    private PolicyRule[]? RulesOf(Binding binding) => binding.RoleKind switch
    {
        "ClusterRole" => _clusterRoles.GetValueOrDefault(binding.RoleName),
        "Role" when binding.Namespace.Length > 0 => _roles.GetValueOrDefault(StoredObject.KeyOf(binding.Namespace, binding.RoleName)),
        _ => null,
    };

    private static string MissingRole(Binding binding) => binding.RoleKind switch
    {
        "ClusterRole" => $"clusterrole.rbac.authorization.k8s.io {Forbidden.Quote(binding.RoleName)} not found",
        "Role" => $"role.rbac.authorization.k8s.io {Forbidden.Quote(binding.RoleName)} not found",
        var kind => $"unsupported role reference kind: {Forbidden.Quote(kind)}",
    };

    /// <summary>RBAC's description of the grant: ClusterRoleBinding "x" of ClusterRole "y" to User "u" (RoleBinding "x/ns" ...).</summary>
    private static string Describe(Binding binding, UserInfo user)
    {
        var subject = binding.Subjects.First(s => s.AppliesTo(user, binding.Namespace));
        var who = subject.Kind == "ServiceAccount"
            ? $"{subject.Kind} {Forbidden.Quote($"{subject.Name}/{(subject.Namespace.Length > 0 ? subject.Namespace : binding.Namespace)}")}"
            : $"{subject.Kind} {Forbidden.Quote(subject.Name)}";
        return binding.Namespace.Length == 0
            ? $"ClusterRoleBinding {Forbidden.Quote(binding.Name)} of {binding.RoleKind} {Forbidden.Quote(binding.RoleName)} to {who}"
            : $"RoleBinding {Forbidden.Quote($"{binding.Name}/{binding.Namespace}")} of {binding.RoleKind} {Forbidden.Quote(binding.RoleName)} to {who}";
    }

    /// <summary>utilerrors.NewAggregate's text: one error as is, several (deduplicated) in brackets.</summary>
    private static string Aggregate(List<string> errors)
    {
        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        return errors.Count == 1 ? errors[0] : distinct.Count == 1 ? distinct[0] : $"[{string.Join(", ", distinct)}]";
    }

    private static IEnumerable<string> SubjectKeys(Binding binding) =>
        binding.Subjects.Select(s => s.Kind switch
        {
            "ServiceAccount" when (s.Namespace.Length > 0 ? s.Namespace : binding.Namespace) is { Length: > 0 } saNamespace =>
                IndexKey($"ServiceAccount:{saNamespace}/{s.Name}", binding.Namespace),
            "User" or "Group" => IndexKey($"{s.Kind}:{s.Name}", binding.Namespace),
            _ => null,
        }).OfType<string>().Distinct(StringComparer.Ordinal);

    private static string IndexKey(string subject, string bindingNamespace) => $"{subject}\n{bindingNamespace}";

    private sealed record Subject(string Kind, string Name, string Namespace)
    {
        public bool AppliesTo(UserInfo user, string bindingNamespace) => Kind switch
        {
            "User" => user.Name == Name,
            "Group" => user.Groups.Contains(Name),
            "ServiceAccount" => (Namespace.Length > 0 ? Namespace : bindingNamespace) is { Length: > 0 } ns &&
                user.Name == $"{UserInfo.ServiceAccountPrefix}{ns}:{Name}",
            _ => false,
        };
    }

    private sealed class Binding
    {
        public required string Namespace { get; init; }

        public required string Name { get; init; }

        public required string RoleKind { get; init; }

        public required string RoleName { get; init; }

        public required Subject[] Subjects { get; init; }

        public static Binding Parse(bool cluster, string ns, string name, JsonObject json) => new()
        {
            Namespace = cluster ? "" : ns,
            Name = name,
            RoleKind = (string?)json["roleRef"]?["kind"] ?? "",
            RoleName = (string?)json["roleRef"]?["name"] ?? "",
            Subjects = [.. (json["subjects"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(s => new Subject((string?)s["kind"] ?? "", (string?)s["name"] ?? "", (string?)s["namespace"] ?? ""))],
        };
    }
}
