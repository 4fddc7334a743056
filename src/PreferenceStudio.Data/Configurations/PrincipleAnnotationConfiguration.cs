using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Data.Configurations;

internal sealed class PrincipleAnnotationConfiguration : IEntityTypeConfiguration<PrincipleAnnotation>
{
    public void Configure(EntityTypeBuilder<PrincipleAnnotation> b)
    {
        b.ToTable("principle_annotations");
        b.OwnsMany(a => a.Verdicts, v =>
        {
            v.ToTable("principle_verdicts", t => t.HasCheckConstraint("ck_principle_verdicts_verdict", "verdict IN (0, 1, 2)"));
            v.WithOwner().HasForeignKey("AnnotationId");
            v.HasKey("AnnotationId", nameof(PrincipleVerdict.ResponseId), nameof(PrincipleVerdict.PrincipleId));
            v.Property(x => x.Evidence).HasMaxLength(2000);
            v.HasOne<Response>().WithMany().HasForeignKey(x => x.ResponseId).OnDelete(DeleteBehavior.Restrict);
            v.HasOne<Principle>().WithMany().HasForeignKey(x => x.PrincipleId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Navigation(a => a.Verdicts).AutoInclude();
    }
}
