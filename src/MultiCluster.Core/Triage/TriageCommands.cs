namespace MultiCluster.Core.Triage;

/// <summary>
/// The kubectl command an on-call engineer runs next for a row, with the cluster's context (the registry
/// name, as in the kubeconfigs the dashboard writes) and namespace filled in.
/// </summary>
public static class TriageCommands
{
    public static string For(ProblemGroup group)
    {
        var context = $"kubectl --context {group.Cluster}";
        var scoped = group.Namespace is { } ns ? $"{context} -n {ns}" : context;
        var target = group.Owner is { } owner ? Resource(owner) : $"{group.ObjectKind.ToLowerInvariant()}/{group.First.Name}";
        return group.Rule switch
        {
            "cluster-health" => $"{context} get --raw '/readyz?verbose'",
            "crash-loop" or "oom-killed" or "restarts" => $"{scoped} logs {target} --all-containers --previous",
            "quota-near" or "quota-full" => $"{scoped} describe resourcequota {group.First.Name.Split('/')[0]}",
            "warning-burst" => $"{scoped} get events --field-selector involvedObject.kind={group.ObjectKind},involvedObject.name={group.First.Name}",
            _ => $"{scoped} describe {target}",
        };
    }

    private static string Resource(string owner)
    {
        var slash = owner.IndexOf('/');
        return $"{owner[..slash].ToLowerInvariant()}/{owner[(slash + 1)..]}";
    }
}
