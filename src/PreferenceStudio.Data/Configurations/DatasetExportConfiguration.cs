using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Data.Configurations;

internal sealed class DatasetExportConfiguration : IEntityTypeConfiguration<DatasetExport>
{
    public void Configure(EntityTypeBuilder<DatasetExport> b)
    {
        b.ToTable("dataset_exports");
        b.Property(e => e.FilterJson).HasColumnName("filter").HasColumnType("jsonb");
        b.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(e => new { e.ProjectId, e.CreatedAt });
    }
}
