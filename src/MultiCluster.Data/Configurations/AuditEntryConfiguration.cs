using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(256).IsRequired();
        builder.Property(a => a.Action).HasMaxLength(100).IsRequired();
        builder.Property(a => a.Target).HasMaxLength(512).IsRequired();
        builder.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.Property(a => a.Detail).HasMaxLength(4000);
        builder.HasIndex(a => a.Time);
        builder.HasIndex(a => new { a.Actor, a.Time });
        builder.HasIndex(a => new { a.Action, a.Time });
    }
}
