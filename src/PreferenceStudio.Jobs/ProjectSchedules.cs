using Hangfire;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Jobs;

/// <summary>
/// A project's retrain schedule: the cron on the project's record and a Hangfire recurring job of the same name that
/// enqueues <see cref="ScheduledRetrainJob"/>. Both change together, in one transaction; removing the schedule removes the job.
/// </summary>
public sealed class ProjectSchedules(PreferenceStudioDbContext db, IRecurringJobManager recurring)
{
    public const string CronField = "retrain_schedule";
    public const string BaseModelField = "retrain_base_model";
    private const string RetrainPrefix = "project-retrain-";

    public static string RetrainId(int projectId) => RetrainPrefix + projectId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsProjectSchedule(string recurringJobId) => recurringJobId.StartsWith(RetrainPrefix, StringComparison.Ordinal);

    /// <summary>Sets (or, with an empty cron, removes) the schedule; the problems, each naming its field, and nothing changed when there are any.</summary>
    public async Task<IReadOnlyList<string>> SetRetrainAsync(int projectId, string? cron, int? baseModelVersionId, CancellationToken cancellationToken)
    {
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null)
            return [$"project: there is no project {projectId}"];
        cron = cron?.Trim();
        var id = RetrainId(projectId);
        if (string.IsNullOrEmpty(cron))
        {
            project.StopRetraining();
            await db.SaveChangesAsync(cancellationToken);
            recurring.RemoveIfExists(id);
            return [];
        }

        var errors = new List<string>();
        if (cron.Length > Core.Projects.Project.MaxCronLength)
            errors.Add($"{CronField}: at most {Core.Projects.Project.MaxCronLength} characters");
        if (baseModelVersionId is not { } baseId)
            errors.Add($"{BaseModelField}: choose the model version retraining starts from");
        else if (!await db.ModelVersions.AnyAsync(m => m.Id == baseId && m.Kind == ModelKind.Policy, cancellationToken))
            errors.Add($"{BaseModelField}: there is no base model version {baseId}");
        if (errors.Count > 0)
            return errors;

        // The record and the recurring job change together: Hangfire checks the cron (its own parser, so what it accepts
        // is exactly what it can run), and an expression it refuses rolls the record back.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        project.ScheduleRetraining(cron, baseModelVersionId!.Value);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            recurring.AddOrUpdate<ScheduledRetrainJob>(id, JobQueues.Default, j => j.RunAsync(projectId, null, CancellationToken.None), cron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        catch (ArgumentException ex)
        {
            return [$"{CronField}: '{cron}' is not a cron expression ({(ex.InnerException ?? ex).Message})"];
        }
        await transaction.CommitAsync(cancellationToken);
        return [];
    }
}
