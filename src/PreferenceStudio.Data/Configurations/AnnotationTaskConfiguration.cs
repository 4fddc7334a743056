using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Data.Configurations;

internal sealed class AnnotationTaskConfiguration : IEntityTypeConfiguration<AnnotationTask>
{
    public void Configure(EntityTypeBuilder<AnnotationTask> b)
    {
        b.ToTable("annotation_tasks", t =>
        {
            t.HasCheckConstraint("ck_annotation_tasks_required", "required_annotations >= 1");
            t.HasCheckConstraint("ck_annotation_tasks_completed", "completed_annotations BETWEEN 0 AND required_annotations");
            t.HasCheckConstraint("ck_annotation_tasks_gold", "NOT is_gold OR gold_answer IS NOT NULL");
        });
        b.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Prompt>().WithMany().HasForeignKey(t => t.PromptId).OnDelete(DeleteBehavior.Restrict);
        b.Property(t => t.GoldAnswerJson).HasColumnName("gold_answer").HasColumnType("jsonb");
        // The hot query: the next open task of a project, gold or not, by priority, oldest first. Gold leads the key
        // because every lookup asks for one or the other: without it a gold draw in a project with no open gold task
        // read every open task (1.3 s at a million, docs/scale.md).
        b.HasIndex(t => new { t.ProjectId, t.IsGold, t.Priority, t.Id })
            .HasDatabaseName("ix_annotation_tasks_next_open")
            .IsDescending(false, false, true, false)
            .HasFilter("state = 0");
        b.HasIndex(t => new { t.ProjectId, t.State });
        b.OwnsMany(t => t.Responses, r =>
        {
            r.ToTable("task_responses");
            r.WithOwner().HasForeignKey(x => x.TaskId);
            r.HasKey(x => new { x.TaskId, x.ResponseId });
            r.HasOne<Response>().WithMany().HasForeignKey(x => x.ResponseId).OnDelete(DeleteBehavior.Restrict);
            r.HasIndex(x => new { x.TaskId, x.Position }).IsUnique();
        });
    }
}
