using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Data.Configurations;

internal sealed class SpanAnnotationConfiguration : IEntityTypeConfiguration<SpanAnnotation>
{
    public void Configure(EntityTypeBuilder<SpanAnnotation> b)
    {
        b.ToTable("span_annotations");
        b.OwnsMany(a => a.Spans, s =>
        {
            s.ToTable("annotation_spans", t => t.HasCheckConstraint("ck_annotation_spans_range", "start_offset >= 0 AND end_offset > start_offset"));
            s.WithOwner().HasForeignKey("AnnotationId");
            s.Property<int>("Id");
            s.HasKey("AnnotationId", "Id");
            s.Property(x => x.Start).HasColumnName("start_offset");
            s.Property(x => x.End).HasColumnName("end_offset");
            s.Property(x => x.Comment).HasMaxLength(2000);
            s.HasOne<Response>().WithMany().HasForeignKey(x => x.ResponseId).OnDelete(DeleteBehavior.Restrict);
            s.HasOne<SpanLabel>().WithMany().HasForeignKey(x => x.LabelId).OnDelete(DeleteBehavior.Restrict);
        });
        b.OwnsMany(a => a.Flags, f =>
        {
            f.ToTable("response_flags");
            f.WithOwner().HasForeignKey("AnnotationId");
            f.HasKey("AnnotationId", nameof(ResponseFlag.ResponseId), nameof(ResponseFlag.Flag));
            f.Property(x => x.Flag).HasMaxLength(64);
            f.HasOne<Response>().WithMany().HasForeignKey(x => x.ResponseId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Navigation(a => a.Spans).AutoInclude();
        b.Navigation(a => a.Flags).AutoInclude();
    }
}
