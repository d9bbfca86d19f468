using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Configurations;

internal sealed class ClusterCredentialConfiguration : IEntityTypeConfiguration<ClusterCredential>
{
    public void Configure(EntityTypeBuilder<ClusterCredential> builder)
    {
        builder.ToTable("cluster_credentials");
        builder.HasKey(c => c.ClusterId);
        builder.Property(c => c.KeyId).HasMaxLength(16).IsRequired();
        builder.Property(c => c.Ciphertext).IsRequired();
        builder.HasIndex(c => c.KeyId);
        // Removing a cluster removes its credentials with it.
        builder.HasOne<Cluster>().WithOne().HasForeignKey<ClusterCredential>(c => c.ClusterId).OnDelete(DeleteBehavior.Cascade);
    }
}
