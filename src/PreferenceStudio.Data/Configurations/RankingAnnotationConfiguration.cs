using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Data.Configurations;

internal sealed class RankingAnnotationConfiguration : IEntityTypeConfiguration<RankingAnnotation>
{
    public void Configure(EntityTypeBuilder<RankingAnnotation> b)
    {
        b.ToTable("ranking_annotations");
        b.OwnsMany(a => a.Entries, e =>
        {
            e.ToTable("ranking_entries", t => t.HasCheckConstraint("ck_ranking_entries_rank", "rank >= 1"));
            e.WithOwner().HasForeignKey("AnnotationId");
            e.HasKey("AnnotationId", nameof(RankingEntry.ResponseId));
            e.HasOne<Response>().WithMany().HasForeignKey(x => x.ResponseId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Navigation(a => a.Entries).AutoInclude();
    }
}
