using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Data.Configurations;

internal sealed class SpanLabelConfiguration : IEntityTypeConfiguration<SpanLabel>
{
    public void Configure(EntityTypeBuilder<SpanLabel> b)
    {
        b.ToTable("span_labels");
        b.Property(l => l.Key).HasMaxLength(64);
        b.Property(l => l.Name).HasMaxLength(200);
        b.HasIndex(l => new { l.ProjectId, l.Key }).IsUnique();
    }
}
