using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data;

/// <summary>The isolation of the vClusters the dashboard created, as the registry keeps it for the engine.</summary>
public sealed class VirtualClusterIsolationStore(IDbContextFactory<RegistryDbContext> factory)
{
    private sealed record Document(Dictionary<string, string> Quota, Dictionary<string, string> DefaultLimits, Dictionary<string, string> DefaultRequests);

    public async Task<IReadOnlyList<VirtualClusterIsolationSpec>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var records = await db.VirtualClusterIsolations.AsNoTracking().ToListAsync(cancellationToken);
        return [.. records.Select(ToSpec).OrderBy(i => i.Host, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)];
    }

    public async Task<VirtualClusterIsolationSpec?> FindAsync(string host, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await db.VirtualClusterIsolations.AsNoTracking().SingleOrDefaultAsync(i => i.Host == host && i.Name == name, cancellationToken);
        return record is null ? null : ToSpec(record);
    }

    /// <summary>Keeps <paramref name="isolation"/>; false when the host already keeps one for a vCluster of that name.</summary>
    public async Task<bool> AddAsync(VirtualClusterIsolationSpec isolation, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.VirtualClusterIsolations.Add(new VirtualClusterIsolationRecord
        {
            Id = Guid.NewGuid(),
            Host = isolation.Host,
            Namespace = isolation.Namespace,
            Name = isolation.Name,
            Generation = isolation.Generation,
            Spec = JsonSerializer.Serialize(new Document(new(isolation.Quota), new(isolation.DefaultLimits), new(isolation.DefaultRequests))),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    /// <summary>Forgets the isolation of vCluster <paramref name="name"/> on <paramref name="host"/>; the engine then deletes its objects.</summary>
    public async Task<bool> RemoveAsync(string host, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.VirtualClusterIsolations.Where(i => i.Host == host && i.Name == name).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }
        await Replicas.RegistryTopics.NotifyAsync(db, Replicas.RegistryTopics.VirtualClusterIsolations, cancellationToken);
        return true;
    }

    private static VirtualClusterIsolationSpec ToSpec(VirtualClusterIsolationRecord record)
    {
        var document = JsonSerializer.Deserialize<Document>(record.Spec) ?? new Document([], [], []);
        return new VirtualClusterIsolationSpec(record.Host, record.Namespace, record.Name, document.Quota, document.DefaultLimits, document.DefaultRequests, record.Generation);
    }
}
