using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Data.Configurations;

internal sealed class LoopRoundConfiguration : IEntityTypeConfiguration<LoopRound>
{
    public void Configure(EntityTypeBuilder<LoopRound> b)
    {
        b.ToTable("loop_rounds", t =>
        {
            t.HasCheckConstraint("ck_loop_rounds_failed_has_error", $"state <> {(int)RoundState.Failed} OR error IS NOT NULL");
            t.HasCheckConstraint("ck_loop_rounds_labelled", "human_labelled >= 0 AND human_labelled <= human_tasks");
        });
        b.HasIndex(r => new { r.ProjectId, r.Number }).IsUnique();
        // At most one unfinished round per project: a schedule that fires twice, or a researcher's click beside it,
        // cannot start a second one. The database says no even when two checks run at the same moment.
        b.HasIndex(r => r.ProjectId).IsUnique().HasFilter($"state IN ({(int)RoundState.Queued}, {(int)RoundState.Running}, {(int)RoundState.WaitingForLabels})")
            .HasDatabaseName("ux_loop_rounds_one_unfinished_per_project");
        b.Property(r => r.SettingsJson).HasColumnName("settings").HasColumnType("jsonb");
        b.Property(r => r.MetricsJson).HasColumnName("metrics").HasColumnType("jsonb");
        b.Property(r => r.StartedBy).HasMaxLength(256);
        b.Property(r => r.JobId).HasMaxLength(64);
        b.Property(r => r.Error).HasMaxLength(LoopRound.MaxErrorLength);
        b.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.PolicyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.ReferenceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.BasePolicyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.RewardModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.SpanRewardModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.PrincipleRewardModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.OutputPolicyId).OnDelete(DeleteBehavior.Restrict);
        b.OwnsMany(r => r.Stages, s =>
        {
            s.ToTable("loop_round_stages", t => t.HasCheckConstraint("ck_loop_round_stages_progress", "done >= 0 AND done <= total"));
            s.WithOwner().HasForeignKey("RoundId");
            s.HasKey("RoundId", nameof(RoundStage.Kind));
            s.Property(x => x.Summary).HasMaxLength(RoundStage.MaxSummaryLength);
            s.HasOne<TrainingRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Restrict);
            s.Ignore(x => x.IsFinished);
        });
        b.Navigation(r => r.Stages).AutoInclude();
        b.Ignore(r => r.IsFinished);
        b.Ignore(r => r.Current);
        b.Ignore(r => r.NextStage);
    }
}
