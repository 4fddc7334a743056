using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Data.Configurations;

internal sealed class PrincipleConfiguration : IEntityTypeConfiguration<Principle>
{
    public void Configure(EntityTypeBuilder<Principle> b)
    {
        b.ToTable("principles");
        b.Property(p => p.Key).HasMaxLength(64);
        b.HasIndex(p => new { p.ProjectId, p.Key }).IsUnique();
    }
}
