using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Configurations;

internal abstract class AccessRecordConfiguration<T>(string table) : IEntityTypeConfiguration<T> where T : AccessRecord
{
    public virtual void Configure(EntityTypeBuilder<T> builder)
    {
        builder.ToTable(table);
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(60).IsRequired();
        builder.HasIndex(r => r.Name).IsUnique();
        builder.Property(r => r.Spec).IsRequired();
        builder.Property(r => r.Generation).IsConcurrencyToken();
    }
}

internal sealed class TeamRecordConfiguration() : AccessRecordConfiguration<TeamRecord>("teams");

internal sealed class RoleTemplateRecordConfiguration() : AccessRecordConfiguration<RoleTemplateRecord>("role_templates");

internal sealed class AccessGrantRecordConfiguration() : AccessRecordConfiguration<AccessGrantRecord>("access_grants")
{
    public override void Configure(EntityTypeBuilder<AccessGrantRecord> builder)
    {
        base.Configure(builder);
        builder.Property(g => g.Team).HasMaxLength(60).IsRequired();
        builder.HasIndex(g => g.Team);
    }
}
