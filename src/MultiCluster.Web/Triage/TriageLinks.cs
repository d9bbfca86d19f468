using MultiCluster.Core.Triage;

namespace MultiCluster.Web.Triage;

/// <summary>Where a row, or one object behind it, opens in the dashboard.</summary>
public static class TriageLinks
{
    public static string For(ProblemGroup row) => For(row.First);

    public static string For(Problem problem)
    {
        var cluster = Uri.EscapeDataString(problem.Cluster);
        return problem.Kind switch
        {
            "Pod" when problem.Namespace is { } ns => $"/clusters/{cluster}/pods/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(problem.Name)}" +
                (problem.PreviousLogsTell ? "?previous=true" : ""),
            "Node" => $"/clusters/{cluster}?tab=nodes",
            "ResourceQuota" or "Namespace" => $"/clusters/{cluster}?tab=namespaces",
            "Cluster" => $"/clusters/{cluster}",
            _ => $"/clusters/{cluster}?tab=events",
        };
    }
}
