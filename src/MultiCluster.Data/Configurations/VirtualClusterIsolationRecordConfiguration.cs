using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Configurations;

internal sealed class VirtualClusterIsolationRecordConfiguration : IEntityTypeConfiguration<VirtualClusterIsolationRecord>
{
    public void Configure(EntityTypeBuilder<VirtualClusterIsolationRecord> builder)
    {
        builder.ToTable("virtual_cluster_isolations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Host).HasMaxLength(63).IsRequired();
        builder.Property(i => i.Namespace).HasMaxLength(63).IsRequired();
        builder.Property(i => i.Name).HasMaxLength(63).IsRequired();
        builder.Property(i => i.Spec).IsRequired();
        // One vCluster of a name per host, as the dashboard refuses a second.
        builder.HasIndex(i => new { i.Host, i.Name }).IsUnique();
    }
}
