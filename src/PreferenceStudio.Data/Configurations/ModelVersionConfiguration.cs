using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Data.Configurations;

internal sealed class ModelVersionConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public void Configure(EntityTypeBuilder<ModelVersion> b)
    {
        b.ToTable("model_versions", t =>
            t.HasCheckConstraint("ck_model_versions_labels_seen", "labels_seen IS NULL OR labels_seen >= 0"));
        b.Property(m => m.Name).HasMaxLength(200);
        b.HasIndex(m => m.Name).IsUnique();
        b.Property(m => m.MetricsJson).HasColumnName("metrics").HasColumnType("jsonb");
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(m => m.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(m => m.ReferenceModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<TrainingRun>().WithMany().HasForeignKey(m => m.TrainingRunId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LoopRound>().WithMany().HasForeignKey(m => m.RoundId).OnDelete(DeleteBehavior.Restrict);
    }
}
