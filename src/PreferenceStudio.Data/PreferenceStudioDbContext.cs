using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Data;

public sealed class PreferenceStudioDbContext(DbContextOptions<PreferenceStudioDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    /// <summary>Cookie and antiforgery keys, shared by every web node so any of them can serve any request.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Principle> Principles => Set<Principle>();
    public DbSet<SpanLabel> SpanLabels => Set<SpanLabel>();
    public DbSet<Prompt> Prompts => Set<Prompt>();
    public DbSet<Response> Responses => Set<Response>();
    public DbSet<AnnotationTask> Tasks => Set<AnnotationTask>();
    public DbSet<Assignment> Assignments => Set<Assignment>();
    public DbSet<Annotation> Annotations => Set<Annotation>();
    public DbSet<PairwiseAnnotation> PairwiseAnnotations => Set<PairwiseAnnotation>();
    public DbSet<RankingAnnotation> RankingAnnotations => Set<RankingAnnotation>();
    public DbSet<SpanAnnotation> SpanAnnotations => Set<SpanAnnotation>();
    public DbSet<PrincipleAnnotation> PrincipleAnnotations => Set<PrincipleAnnotation>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<TrainingRun> TrainingRuns => Set<TrainingRun>();
    public DbSet<RunMetric> RunMetrics => Set<RunMetric>();
    public DbSet<DatasetExport> DatasetExports => Set<DatasetExport>();
    public DbSet<LoopSettings> LoopSettings => Set<LoopSettings>();
    public DbSet<LoopRound> LoopRounds => Set<LoopRound>();
    public DbSet<ResponseScore> ResponseScores => Set<ResponseScore>();
    public DbSet<QualitySnapshot> QualitySnapshots => Set<QualitySnapshot>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        Configurations.IdentityTableNames.Apply(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PreferenceStudioDbContext).Assembly);
    }
}
