using System.Security.Cryptography;
using System.Text;
using MultiCluster.Core.Fleet;

namespace MultiCluster.Core.Triage;

/// <summary>
/// One row of the Triage page: the problems of one object, or of the replicas of one workload, that one rule
/// found (<see cref="Problem.GroupKey"/>), with when the row was first and last seen and who acknowledged it.
/// </summary>
public sealed record ProblemGroup : IFleetObject
{
    public FleetKind Kind => FleetKind.Problem;

    public required string Cluster { get; init; }

    /// <summary>The <see cref="Problem.GroupKey"/> its problems share.</summary>
    public required string Key { get; init; }

    /// <summary>The problems behind the row, ordered by object name; never empty.</summary>
    public required IReadOnlyList<Problem> Problems { get; init; }

    /// <summary>When the row appeared, this occurrence (a problem that went away and came back is a new occurrence).</summary>
    public required DateTimeOffset FirstSeen { get; init; }

    /// <summary>When the row last changed: a replica joined or left, a restart count went up, a new warning.</summary>
    public required DateTimeOffset LastSeen { get; init; }

    public Acknowledgement? Acknowledgement { get; init; }

    /// <summary>A stable, address-safe identifier of the row (the same cluster and key give the same id).</summary>
    public string Id => IdOf(Cluster, Key);

    public Problem First => Problems[0];

    public Severity Severity => Problems.Min(p => p.Severity);

    public string Rule => First.Rule;

    public string Reason => First.Reason;

    /// <summary>Kind of the objects behind the row (Pod, Node, ResourceQuota, Cluster…).</summary>
    public string ObjectKind => First.Kind;

    public string? Namespace => First.Namespace;

    /// <summary>The workload (<c>Deployment/web</c>) whose replicas share the row, if any.</summary>
    public string? Owner => First.Owner;

    /// <summary>What the row is about: the workload's name, or the one object's.</summary>
    public string Name => Owner is { } owner ? owner[(owner.IndexOf('/') + 1)..] : First.Name;

    public string Message => First.Message;

    /// <summary>Since when, as the objects say (the earliest of them), else since first seen.</summary>
    public DateTimeOffset Since => Problems.Min(p => p.Since) ?? FirstSeen;

    public int Count => Problems.Count;

    public static string IdOf(string cluster, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cluster + "\n" + key)))[..20];
}
