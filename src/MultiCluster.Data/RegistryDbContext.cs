using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data;

/// <summary>The registry: clusters and their credentials, users (ASP.NET Core Identity), acknowledgements of problems, quota policies, the audit log; later access grants.</summary>
public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : IdentityDbContext<DashboardUser>(options), IDataProtectionKeyContext
{
    public DbSet<Cluster> Clusters => Set<Cluster>();

    public DbSet<ClusterCredential> ClusterCredentials => Set<ClusterCredential>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();

    public DbSet<ProblemAcknowledgement> ProblemAcknowledgements => Set<ProblemAcknowledgement>();

    public DbSet<QuotaPolicyRecord> QuotaPolicies => Set<QuotaPolicyRecord>();

    public DbSet<TeamRecord> Teams => Set<TeamRecord>();

    public DbSet<AccessGrantRecord> AccessGrants => Set<AccessGrantRecord>();

    public DbSet<RoleTemplateRecord> RoleTemplates => Set<RoleTemplateRecord>();

    public DbSet<VirtualClusterIsolationRecord> VirtualClusterIsolations => Set<VirtualClusterIsolationRecord>();

    /// <summary>The keys that protect sign-in cookies and antiforgery tokens, shared by every replica (encrypted under the master key).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(RegistryDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type: stored as text, DateTimeOffset cannot be compared or ordered in SQL.
        // A sortable integer keeps time-range filters (audit, acknowledgements) in the database.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
