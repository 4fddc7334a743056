using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Data.Configurations;

internal sealed class PromptConfiguration : IEntityTypeConfiguration<Prompt>
{
    public void Configure(EntityTypeBuilder<Prompt> b)
    {
        b.ToTable("prompts", t => t.HasCheckConstraint("ck_prompts_conversation", "jsonb_array_length(conversation) >= 1"));
        b.HasOne<Project>().WithMany().HasForeignKey(p => p.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.Property(p => p.ExternalId).HasMaxLength(200);
        // An import names its rows; a re-import must not duplicate them.
        b.HasIndex(p => new { p.ProjectId, p.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL");
        b.Property(p => p.MetadataJson).HasColumnName("metadata").HasColumnType("jsonb");
        b.OwnsMany(p => p.Conversation, turns => turns.ToJson("conversation"));
        b.HasMany(p => p.Responses).WithOne(r => r.Prompt).HasForeignKey(r => r.PromptId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(p => p.LastUserMessage);
    }
}
