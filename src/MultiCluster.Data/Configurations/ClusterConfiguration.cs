using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiCluster.Core;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Configurations;

internal sealed class ClusterConfiguration : IEntityTypeConfiguration<Cluster>
{
    public void Configure(EntityTypeBuilder<Cluster> builder)
    {
        builder.ToTable("clusters");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Name).HasMaxLength(ClusterName.MaxLength).IsRequired();
        builder.HasIndex(c => c.Name).IsUnique();
        builder.Property(c => c.DisplayName).HasMaxLength(200).IsRequired();
        builder.Property(c => c.ApiServerUrl).HasMaxLength(2048).IsRequired();
        builder.Property(c => c.KubernetesVersion).HasMaxLength(64);
        builder.Property(c => c.LastConnectionProblem).HasMaxLength(1000);

        // Labels are a small map read and written whole; a JSON text column works the same on both providers.
        builder.Property(c => c.Labels)
            .HasConversion(
                labels => JsonSerializer.Serialize(labels, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, JsonSerializerOptions.Default) ?? new(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a != null && b != null && a.Count == b.Count && !a.Except(b).Any(),
                    labels => labels.Aggregate(0, (hash, l) => HashCode.Combine(hash, l.Key, l.Value)),
                    labels => new Dictionary<string, string>(labels)))
            .IsRequired();
    }
}
