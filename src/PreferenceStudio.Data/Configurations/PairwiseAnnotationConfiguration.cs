using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Data.Configurations;

internal sealed class PairwiseAnnotationConfiguration : IEntityTypeConfiguration<PairwiseAnnotation>
{
    public void Configure(EntityTypeBuilder<PairwiseAnnotation> b)
    {
        b.ToTable("pairwise_annotations", t =>
        {
            t.HasCheckConstraint("ck_pairwise_preference", "preference BETWEEN -2 AND 2");
            t.HasCheckConstraint("ck_pairwise_distinct", "response_a_id <> response_b_id");
        });
        b.HasOne<Response>().WithMany().HasForeignKey(a => a.ResponseAId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Response>().WithMany().HasForeignKey(a => a.ResponseBId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(a => a.ChosenRejected);
        b.Ignore(a => a.Strength);
    }
}
