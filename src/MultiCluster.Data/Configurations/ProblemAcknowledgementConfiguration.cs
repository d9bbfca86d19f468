using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Configurations;

internal sealed class ProblemAcknowledgementConfiguration : IEntityTypeConfiguration<ProblemAcknowledgement>
{
    public const int MaxNote = 1000;
    public const int MaxProblemKey = 1024;

    public void Configure(EntityTypeBuilder<ProblemAcknowledgement> builder)
    {
        builder.ToTable("problem_acknowledgements");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.ProblemKey).HasMaxLength(MaxProblemKey).IsRequired();
        builder.Property(a => a.Note).HasMaxLength(MaxNote);
        builder.Property(a => a.AcknowledgedBy).HasMaxLength(256).IsRequired();
        // One acknowledgement per row; a removed cluster's acknowledgements go with it.
        builder.HasIndex(a => new { a.ClusterId, a.ProblemKey }).IsUnique();
        builder.HasOne<Cluster>().WithMany().HasForeignKey(a => a.ClusterId).OnDelete(DeleteBehavior.Cascade);
    }
}
