namespace MultiCluster.Core.Triage;

/// <summary>
/// The kubectl command an on-call engineer runs next for a row, with the cluster's context (the registry
/// name, as in the kubeconfigs the dashboard writes) and namespace filled in. Every name in it comes from the
/// cluster, so each is one quoted word (<see cref="ShellQuoting"/>) that kubectl reads as the value it was.
/// </summary>
public static class TriageCommands
{
    public static string For(ProblemGroup group)
    {
        var target = $"{TriageView.KindOf(group).ToLowerInvariant()}/{group.Name}";
        if (group.First.PreviousLogsTell)
        {
            return Kubectl(group.Cluster, group.Namespace, ["logs"], [target], ["--all-containers", "--previous"]);
        }
        return group.Rule switch
        {
            "cluster-health" => Kubectl(group.Cluster, null, ["get"], [], ["--raw", "/readyz?verbose"]),
            "quota-near" or "quota-full" => Kubectl(group.Cluster, group.Namespace, ["describe", "resourcequota"], [group.First.Name.Split('/')[0]], []),
            "warning-burst" => Kubectl(group.Cluster, group.Namespace, ["get", "events"], [],
                ["--field-selector", $"involvedObject.kind={FieldSelectorValue(group.ObjectKind)},involvedObject.name={FieldSelectorValue(group.First.Name)}"]),
            _ => Kubectl(group.Cluster, group.Namespace, ["describe"], [target], []),
        };
    }

    /// <summary>
    /// <c>kubectl --context C [-n NS] VERB OPERANDS FLAGS</c>, quoted. A flag's value is the word after it:
    /// kubectl's flag parser (pflag) takes that word as the value whatever it starts with, so a context or namespace
    /// such as <c>--kubeconfig=/x</c> stays a value. An operand (an object's name) starting with <c>-</c> would be
    /// read as a flag, so then the operands go last, after a <c>--</c> past which kubectl reads no flags (the verb
    /// stays before it: kubectl finds its subcommand only there). An empty namespace is left out: <c>-n ''</c>
    /// means the kubeconfig's namespace, not "none".
    /// </summary>
    private static string Kubectl(string cluster, string? ns, string[] verb, string[] operands, string[] flags)
    {
        List<string> words = ["kubectl", "--context", cluster];
        if (ns is { Length: > 0 })
        {
            words.AddRange(["-n", ns]);
        }
        words.AddRange(verb);
        if (operands.Any(o => o.StartsWith('-')))
        {
            words.AddRange([.. flags, "--", .. operands]);
        }
        else
        {
            words.AddRange([.. operands, .. flags]);
        }
        // No argument can hold a NUL; a name with one gets no command rather than one for a different object.
        return words.Any(w => w.Contains('\0', StringComparison.Ordinal))
            ? "# No kubectl command: a name holds a NUL character."
            : ShellQuoting.Join(words);
    }

    /// <summary>A value inside a field selector, escaped as apimachinery's fields.EscapeValue does (<c>\</c>, <c>,</c>, <c>=</c>).</summary>
    private static string FieldSelectorValue(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace(",", @"\,", StringComparison.Ordinal).Replace("=", @"\=", StringComparison.Ordinal);
}
