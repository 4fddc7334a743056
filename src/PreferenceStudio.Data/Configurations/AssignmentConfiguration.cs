using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Data.Configurations;

internal sealed class AssignmentConfiguration : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> b)
    {
        b.ToTable("assignments", t =>
        {
            t.HasCheckConstraint("ck_assignments_slot", "slot >= 1");
            t.HasCheckConstraint("ck_assignments_lease", "expires_at > leased_at");
        });
        b.HasOne<AnnotationTask>().WithMany().HasForeignKey(a => a.TaskId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.AnnotatorId).OnDelete(DeleteBehavior.Restrict);
        b.Property(a => a.SkipReason).HasMaxLength(500);
        // Nobody is handed the same task twice, whatever happened to their first lease.
        b.HasIndex(a => new { a.TaskId, a.AnnotatorId }).IsUnique();
        // A slot is held by at most one live (active or submitted) assignment.
        b.HasIndex(a => new { a.TaskId, a.Slot }).IsUnique()
            .HasDatabaseName("ux_assignments_live_slot")
            .HasFilter("state IN (0, 1)");
        b.HasIndex(a => new { a.AnnotatorId, a.State });
        // Lease reclaim scans only active leases by expiry.
        b.HasIndex(a => a.ExpiresAt).HasDatabaseName("ix_assignments_active_expiry").HasFilter("state = 0");
    }
}
