using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Core;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Data.Secrets;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Clusters;

/// <summary>
/// Registers, edits, tests and removes clusters: one path for the dialog, the API and the demo clusters.
/// Every change is written with its audit entry in one transaction; a failed attempt is audited too.
/// </summary>
public sealed class ClusterRegistry(IDbContextFactory<RegistryDbContext> factory, CredentialVault vault, AuditLog audit, TimeProvider time, RegistryChanges changes, AddressGuard addresses, Access.ClusterVisibility visibility)
{
    public const int MaxDisplayName = 200;

    /// <param name="authorized">The caller has decided the user may (a vCluster the user created or manages, on a host where they may).</param>
    public async Task<RegistrationOutcome> RegisterAsync(ClaimsPrincipal user, IReadOnlyList<ClusterRegistration> registrations, CancellationToken cancellationToken = default, bool authorized = false)
    {
        var actor = AuditLog.ActorOf(user);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var existing = (await db.Clusters.Select(c => c.Name).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var results = new List<ClusterRegistrationResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            var problem = (authorized || IsAdministrator(user) ? null : "Only an Administrator can register clusters.") ??
                Validate(registration) ??
                (!authorized ? ReservedLabelProblem(registration.Labels) : null) ??
                (existing.Contains(registration.Name) ? $"A cluster named '{registration.Name}' is already registered." : null) ??
                (!seen.Add(registration.Name) ? $"The name '{registration.Name}' is given to two clusters." : null);
            if (problem is not null)
            {
                results.Add(new ClusterRegistrationResult(registration.Name, null, problem));
                continue;
            }
            var test = await ConnectionTester.TestAsync(registration.Server!, registration.Credentials!, addresses, cancellationToken);
            results.Add(test.Succeeded
                ? new ClusterRegistrationResult(registration.Name, NewCluster(registration, test), null, test.Warning)
                : new ClusterRegistrationResult(registration.Name, null, $"The connection test failed: {test.Problem}"));
        }

        if (results.Count == 0 || results.Any(r => !r.Succeeded))
        {
            foreach (var failed in results.Where(r => !r.Succeeded))
            {
                audit.Add(db, actor, ClusterAuditActions.Register, ClusterAuditActions.Target(failed.Name), AuditOutcome.Failed, failed.Problem);
            }
            await db.SaveChangesAsync(cancellationToken);
            // Nothing half-written: the clusters that passed are reported, but not saved without the others.
            return new RegistrationOutcome(results.Select(r => r.Succeeded ? r with { Cluster = null, Problem = "Not registered, because another cluster of this request failed." } : r).ToList());
        }

        foreach (var (result, registration) in results.Zip(registrations))
        {
            db.Clusters.Add(result.Cluster!);
            db.ClusterCredentials.Add(vault.Seal(result.Cluster!.Id, registration.Credentials!));
            audit.Add(db, actor, ClusterAuditActions.Register, ClusterAuditActions.Target(result.Name), AuditOutcome.Succeeded,
                $"{result.Cluster.ApiServerUrl}, Kubernetes {result.Cluster.KubernetesVersion}{(result.Cluster.InsecureSkipTlsVerify ? ", TLS verification off" : "")}" +
                (result.Warning is { } warning ? "; " + warning : ""));
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone registered the same name in between: the unique index decides, nothing is kept.
            await audit.RecordAsync(actor, ClusterAuditActions.Register, string.Join(",", results.Select(r => ClusterAuditActions.Target(r.Name))), AuditOutcome.Failed, "name taken meanwhile", cancellationToken);
            return new RegistrationOutcome(results.Select(r => r with { Cluster = null, Problem = $"A cluster named '{r.Name}' was registered by someone else meanwhile." }).ToList());
        }
        changes.Notify();
        return new RegistrationOutcome(results);
    }

    public async Task<IReadOnlyList<Cluster>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Clusters.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
    }

    public async Task<Cluster?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
    }

    /// <summary>Changes the display name and/or labels; returns the problem, or null when saved.</summary>
    public async Task<string?> UpdateAsync(ClaimsPrincipal user, string name, string? displayName, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken = default)
    {
        if (!IsAdministrator(user))
        {
            return "Only an Administrator can edit clusters.";
        }
        if (displayName is { Length: > MaxDisplayName })
        {
            return $"A display name is at most {MaxDisplayName} characters.";
        }
        if (labels is not null && LabelProblem(labels) is { } labelProblem)
        {
            return labelProblem;
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (cluster is null)
        {
            return $"No cluster is named '{name}'.";
        }
        var edits = new List<string>();
        if (displayName is not null && displayName.Trim() != cluster.DisplayName)
        {
            edits.Add($"display name '{cluster.DisplayName}' → '{displayName.Trim()}'");
            cluster.DisplayName = displayName.Trim();
        }
        if (labels is not null && Reserved(labels) != Reserved(cluster.Labels))
        {
            // They link a registered vCluster to its host (pause, access through the host): only its creation sets them.
            return $"The labels {string.Join(", ", ReservedKeys)} are set by the dashboard when it registers a vCluster; they cannot be added, changed or removed.";
        }
        if (labels is not null && ClusterLabels.Format(labels) != ClusterLabels.Format(cluster.Labels))
        {
            edits.Add($"labels '{ClusterLabels.Format(cluster.Labels)}' → '{ClusterLabels.Format(labels)}'");
            cluster.Labels = new Dictionary<string, string>(labels);
        }
        if (edits.Count > 0)
        {
            audit.Add(db, AuditLog.ActorOf(user), ClusterAuditActions.Edit, ClusterAuditActions.Target(name), AuditOutcome.Succeeded, string.Join("; ", edits));
            await db.SaveChangesAsync(cancellationToken);
            changes.Notify();
        }
        return null;
    }

    /// <summary>Removes a cluster and its credentials; returns the problem, or null when removed.</summary>
    /// <param name="authorized">The caller has decided the user may (the vCluster behind the cluster is being deleted by someone allowed to).</param>
    public async Task<string?> RemoveAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default, bool authorized = false)
    {
        if (!authorized && !IsAdministrator(user))
        {
            return "Only an Administrator can remove clusters.";
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (cluster is null)
        {
            return $"No cluster is named '{name}'.";
        }
        db.Clusters.Remove(cluster);
        audit.Add(db, AuditLog.ActorOf(user), ClusterAuditActions.Remove, ClusterAuditActions.Target(name), AuditOutcome.Succeeded, cluster.ApiServerUrl);
        await db.SaveChangesAsync(cancellationToken);
        // Its watchers stop and its state is forgotten.
        changes.Notify();
        return null;
    }

    /// <summary>Tests the stored connection of a registered cluster and records the result.</summary>
    public async Task<ConnectionTestResult?> TestAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default)
    {
        if (visibility.For(user).Refusal(DashboardActions.TestConnections, name, "test connections") is { } refusal)
        {
            return ConnectionTestResult.Failure(refusal, TimeSpan.Zero);
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        var stored = cluster is null ? null : await db.ClusterCredentials.SingleOrDefaultAsync(c => c.ClusterId == cluster.Id, cancellationToken);
        if (cluster is null || stored is null)
        {
            return null;
        }
        var result = await ConnectionTester.TestAsync(new Uri(cluster.ApiServerUrl), vault.Open(stored), addresses, cancellationToken);
        Record(cluster, result);
        audit.Add(db, AuditLog.ActorOf(user), ClusterAuditActions.Test, ClusterAuditActions.Target(name),
            result.Succeeded ? AuditOutcome.Succeeded : AuditOutcome.Failed,
            (result.Succeeded ? $"Kubernetes {result.KubernetesVersion}" : result.Problem) + (result.Warning is { } warning ? "; " + warning : ""));
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    private static bool IsAdministrator(ClaimsPrincipal user) => user.May(DashboardActions.ManageClusters);

    private static string? Validate(ClusterRegistration registration)
    {
        if (ClusterName.Validate(registration.Name) is { } nameProblem)
        {
            return nameProblem;
        }
        if (registration.DisplayName is { Length: > MaxDisplayName })
        {
            return $"A display name is at most {MaxDisplayName} characters.";
        }
        if (registration.Server is null || !registration.Server.IsAbsoluteUri || registration.Server.Scheme is not ("https" or "http"))
        {
            return "An API server URL such as https://10.0.0.1:6443 is required.";
        }
        var credentials = registration.Credentials;
        if (credentials is null || (string.IsNullOrWhiteSpace(credentials.Token) && !credentials.HasClientCertificate))
        {
            return "A bearer token or a client certificate and key are required.";
        }
        return LabelProblem(registration.Labels);
    }

    private static readonly string[] ReservedKeys =
        [Core.VirtualClusters.VirtualClusterLabels.VirtualCluster, Core.VirtualClusters.VirtualClusterLabels.HostCluster, Core.VirtualClusters.VirtualClusterLabels.HostNamespace, Core.VirtualClusters.VirtualClusterLabels.Name];

    private static string Reserved(IReadOnlyDictionary<string, string> labels) =>
        string.Join(",", ReservedKeys.Select(k => labels.TryGetValue(k, out var v) ? $"{k}={v}" : ""));

    private static string? ReservedLabelProblem(IReadOnlyDictionary<string, string> labels) =>
        labels.Keys.FirstOrDefault(Core.VirtualClusters.VirtualClusterLabels.IsReserved) is { } key
            ? $"The label {key} is set by the dashboard when it registers a vCluster (on the Virtual clusters page)."
            : null;

    private static string? LabelProblem(IReadOnlyDictionary<string, string> labels) =>
        labels.Select(l => ClusterLabels.ValidateKey(l.Key) ?? ClusterLabels.ValidateValue(l.Key, l.Value)).FirstOrDefault(p => p is not null);

    private Cluster NewCluster(ClusterRegistration registration, ConnectionTestResult test)
    {
        var cluster = new Cluster
        {
            Id = Guid.NewGuid(),
            Name = registration.Name,
            DisplayName = string.IsNullOrWhiteSpace(registration.DisplayName) ? registration.Name : registration.DisplayName.Trim(),
            ApiServerUrl = registration.Server!.ToString().TrimEnd('/'),
            Labels = new Dictionary<string, string>(registration.Labels),
            InsecureSkipTlsVerify = registration.Credentials!.InsecureSkipTlsVerify,
        };
        Record(cluster, test);
        return cluster;
    }

    private void Record(Cluster cluster, ConnectionTestResult test)
    {
        cluster.LastConnectionTestAt = time.GetUtcNow();
        cluster.LastConnectionProblem = test.Problem;
        if (test.Succeeded)
        {
            cluster.KubernetesVersion = test.KubernetesVersion;
        }
    }
}
