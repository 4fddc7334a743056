using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Data.Configurations;

internal sealed class LoopSettingsConfiguration : IEntityTypeConfiguration<LoopSettings>
{
    public void Configure(EntityTypeBuilder<LoopSettings> b)
    {
        b.ToTable("loop_settings", t =>
        {
            t.HasCheckConstraint("ck_loop_settings_k", $"responses_per_prompt BETWEEN 2 AND {LoopSettingsChange.MaxResponsesPerPrompt}");
            t.HasCheckConstraint("ck_loop_settings_human_share", "human_share >= 0 AND human_share <= 1");
            t.HasCheckConstraint("ck_loop_settings_trigger", "NOT enabled OR cron IS NOT NULL OR every_new_labels IS NOT NULL");
        });
        b.HasKey(s => s.ProjectId);
        b.Property(s => s.ProjectId).ValueGeneratedNever();
        b.Property(s => s.Cron).HasMaxLength(LoopSettings.MaxCronLength);
        b.Property(s => s.UpdatedBy).HasMaxLength(256);
        b.Property(s => s.RewardConfigJson).HasColumnName("reward_config").HasColumnType("jsonb");
        b.Property(s => s.DpoConfigJson).HasColumnName("dpo_config").HasColumnType("jsonb");
        b.Property(s => s.PpoConfigJson).HasColumnName("ppo_config").HasColumnType("jsonb");
        b.HasOne<Project>().WithOne().HasForeignKey<LoopSettings>(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(s => s.BasePolicyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(s => s.PolicyId).OnDelete(DeleteBehavior.Restrict);
    }
}
