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
        var target = $"{TriageView.KindOf(group).ToLowerInvariant()}/{group.Name}";
        if (group.First.PreviousLogsTell)
        {
            return $"{scoped} logs {target} --all-containers --previous";
        }
        return group.Rule switch
        {
            "cluster-health" => $"{context} get --raw '/readyz?verbose'",
            "quota-near" or "quota-full" => $"{scoped} describe resourcequota {group.First.Name.Split('/')[0]}",
            "warning-burst" => $"{scoped} get events --field-selector involvedObject.kind={group.ObjectKind},involvedObject.name={group.First.Name}",
            _ => $"{scoped} describe {target}",
        };
    }
}
