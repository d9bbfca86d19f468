using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Configurations;

internal sealed class QuotaPolicyRecordConfiguration : IEntityTypeConfiguration<QuotaPolicyRecord>
{
    public void Configure(EntityTypeBuilder<QuotaPolicyRecord> builder)
    {
        builder.ToTable("quota_policies");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(60).IsRequired();
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.Description).HasMaxLength(1000);
        builder.Property(p => p.Mode).HasMaxLength(16).IsRequired();
        builder.Property(p => p.Spec).IsRequired();
        // Two saves of one policy at once: the second finds the generation moved and is refused, not merged.
        builder.Property(p => p.Generation).IsConcurrencyToken();
    }
}
