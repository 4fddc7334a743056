using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Data.Configurations;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> b)
    {
        b.ToTable("projects", t =>
        {
            t.HasCheckConstraint("ck_projects_overlap", $"overlap BETWEEN 1 AND {Project.MaxOverlap}");
            t.HasCheckConstraint("ck_projects_gold_rate", "gold_rate >= 0 AND gold_rate <= 1");
            t.HasCheckConstraint("ck_projects_kinds", "kinds > 0");
        });
        b.Property(p => p.Name).HasMaxLength(200);
        b.Property(p => p.Slug).HasMaxLength(64);
        b.Property(p => p.RetrainCron).HasMaxLength(Project.MaxCronLength);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(p => p.RetrainBaseModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => p.Slug).IsUnique();
        b.HasMany(p => p.Principles).WithOne().HasForeignKey(p => p.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(p => p.SpanLabels).WithOne().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(p => p.Principles).AutoInclude();
        b.Navigation(p => p.SpanLabels).AutoInclude();
    }
}
