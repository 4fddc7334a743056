using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Data.Configurations;

internal sealed class QualitySnapshotConfiguration : IEntityTypeConfiguration<QualitySnapshot>
{
    public void Configure(EntityTypeBuilder<QualitySnapshot> b)
    {
        b.ToTable("quality_snapshots", t => t.HasCheckConstraint("ck_quality_snapshots_compute_ms", "compute_ms >= 0"));
        b.HasKey(s => s.ProjectId);
        b.Property(s => s.ProjectId).ValueGeneratedNever();
        b.Property(s => s.FiguresJson).HasColumnName("figures").HasColumnType("jsonb");
        b.HasOne<Project>().WithOne().HasForeignKey<QualitySnapshot>(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
