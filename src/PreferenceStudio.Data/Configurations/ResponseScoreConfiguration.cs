using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Data.Configurations;

internal sealed class ResponseScoreConfiguration : IEntityTypeConfiguration<ResponseScore>
{
    public void Configure(EntityTypeBuilder<ResponseScore> b)
    {
        b.ToTable("response_scores");
        b.HasKey(s => new { s.ResponseId, s.RewardModelId });
        b.HasOne<Response>().WithMany().HasForeignKey(s => s.ResponseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(s => s.RewardModelId).OnDelete(DeleteBehavior.Restrict);
    }
}
