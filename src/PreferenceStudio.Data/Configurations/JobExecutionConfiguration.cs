using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceStudio.Core.Jobs;

namespace PreferenceStudio.Data.Configurations;

internal sealed class JobExecutionConfiguration : IEntityTypeConfiguration<JobExecution>
{
    public void Configure(EntityTypeBuilder<JobExecution> b)
    {
        b.ToTable("job_executions", t => t.HasCheckConstraint("ck_job_executions_failed_has_error", "state <> 2 OR error IS NOT NULL"));
        b.Property(j => j.JobName).HasMaxLength(150);
        b.Property(j => j.JobGroup).HasMaxLength(150);
        b.Property(j => j.FireInstanceId).HasMaxLength(140);
        b.Property(j => j.Trigger).HasMaxLength(301);
        b.HasIndex(j => new { j.Trigger, j.State });
        b.Property(j => j.Node).HasMaxLength(200);
        b.HasIndex(j => j.StartedAt);
        b.HasIndex(j => new { j.JobGroup, j.JobName, j.StartedAt });
    }
}
