using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Data.Configurations;

internal sealed class RunMetricConfiguration : IEntityTypeConfiguration<RunMetric>
{
    public void Configure(EntityTypeBuilder<RunMetric> b)
    {
        b.ToTable("run_metrics");
        b.Property(m => m.Key).HasMaxLength(100);
        b.HasOne<TrainingRun>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Restrict);
        // A curve is read as one key of one run in step order.
        b.HasIndex(m => new { m.RunId, m.Key, m.Step }).IsUnique();
    }
}
