using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Data.Configurations;

internal sealed class TrainingRunConfiguration : IEntityTypeConfiguration<TrainingRun>
{
    public void Configure(EntityTypeBuilder<TrainingRun> b)
    {
        b.ToTable("training_runs", t =>
        {
            t.HasCheckConstraint("ck_training_runs_step", "step >= 0 AND (total_steps = 0 OR step <= total_steps)");
            t.HasCheckConstraint("ck_training_runs_failed_has_error", "state <> 3 OR error IS NOT NULL");
        });
        b.Property(r => r.ConfigJson).HasColumnName("config").HasColumnType("jsonb");
        b.Property(r => r.Node).HasMaxLength(200);
        b.Property(r => r.JobId).HasMaxLength(64);
        b.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.BaseModelVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.OutputModelVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LoopRound>().WithMany().HasForeignKey(r => r.RoundId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.State, r.CreatedAt });
        b.Ignore(r => r.Progress);
        b.Ignore(r => r.IsFinished);
    }
}
