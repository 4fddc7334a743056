using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Data.Configurations;

/// <summary>The shared columns of every label; each kind's answer lives in its own table (table per type).</summary>
internal sealed class AnnotationConfiguration : IEntityTypeConfiguration<Annotation>
{
    public void Configure(EntityTypeBuilder<Annotation> b)
    {
        b.ToTable("annotations", t =>
        {
            t.HasCheckConstraint("ck_annotations_version", "version >= 1 AND (version = 1) = (previous_version_id IS NULL)");
            t.HasCheckConstraint("ck_annotations_time_spent", "time_spent_ms >= 0");
        });
        b.UseTptMappingStrategy();
        b.HasOne<AnnotationTask>().WithMany().HasForeignKey(a => a.TaskId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.AnnotatorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Assignment>().WithMany().HasForeignKey(a => a.AssignmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Annotation>().WithOne().HasForeignKey<Annotation>(a => a.PreviousVersionId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(a => a.IsCurrent);
        // A retried submit finds the label it already stored.
        b.HasIndex(a => new { a.AnnotatorId, a.IdempotencyKey }).IsUnique();
        // One current version per annotator and task; versions are numbered without gaps or repeats.
        b.HasIndex(a => new { a.TaskId, a.AnnotatorId }).IsUnique()
            .HasDatabaseName("ux_annotations_current")
            .HasFilter("superseded_at IS NULL");
        b.HasIndex(a => new { a.TaskId, a.AnnotatorId, a.Version }).IsUnique();
        // "Labels since a time", for training jobs that take only fresh labels.
        b.HasIndex(a => a.CreatedAt);
    }
}
