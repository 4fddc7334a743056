using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// A project's loop settings and the Hangfire recurring job (<see cref="ScheduledRoundJob"/>) its cron makes: both
/// change together in one transaction, and a cron Hangfire refuses rolls the settings back.
/// </summary>
public sealed class LoopSettingsStore(PreferenceStudioDbContext db, IRecurringJobManager recurring, TimeProvider clock)
{
    public const string BasePolicyField = "base_policy";
    private const string Prefix = "project-loop-";

    public static string RecurringId(int projectId) => Prefix + projectId.ToString(CultureInfo.InvariantCulture);

    public static bool IsLoopSchedule(string recurringJobId) => recurringJobId.StartsWith(Prefix, StringComparison.Ordinal);

    public Task<LoopSettings?> GetAsync(int projectId, CancellationToken cancellationToken) =>
        db.LoopSettings.AsNoTracking().SingleOrDefaultAsync(s => s.ProjectId == projectId, cancellationToken);

    /// <summary>
    /// Saves the project's loop; <paramref name="basePolicyId"/> is required the first time and, when it names another
    /// policy later, starts the loop over from it. Returns the problems, each naming its field; nothing changes when there are any.
    /// </summary>
    public async Task<IReadOnlyList<string>> SaveAsync(int projectId, int? basePolicyId, LoopSettingsChange change, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken))
            return [$"project: there is no project {projectId}"];
        var settings = await db.LoopSettings.SingleOrDefaultAsync(s => s.ProjectId == projectId, cancellationToken);
        var errors = new List<string>();
        if (basePolicyId is { } baseId)
        {
            if (!await db.ModelVersions.AnyAsync(m => m.Id == baseId && m.Kind == ModelKind.Policy, cancellationToken))
                errors.Add($"{BasePolicyField}: there is no policy model version {baseId}");
        }
        else if (settings is null)
            errors.Add($"{BasePolicyField}: choose the policy the loop starts from");
        errors.AddRange(change.Validate());
        errors.AddRange(LoopRoundSettings.ValidateConfigs(change.RewardConfigJson, change.DpoConfigJson, change.PpoConfigJson, change.PolicyTrainer));
        if (errors.Count == 0 && change.PolicyTrainer == PolicyTrainer.Ppo)
            errors.AddRange((await FineGrainedRewardRefresh.CheckAsync(db, projectId, PpoRunConfig.FromJson(change.PpoConfigJson).Reward, cancellationToken))
                .Select(e => "ppo." + e));
        if (errors.Count > 0)
            return errors;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (settings is null)
        {
            settings = new LoopSettings(projectId, basePolicyId!.Value);
            db.LoopSettings.Add(settings);
        }
        else if (basePolicyId is { } newBase && newBase != settings.BasePolicyId)
            settings.RestartFrom(newBase);
        settings.Change(change, by, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);

        var id = RecurringId(projectId);
        if (settings is { Enabled: true, Cron: { } cron })
        {
            try
            {
                recurring.AddOrUpdate<ScheduledRoundJob>(id, JobQueues.Default, j => j.RunAsync(projectId, null, CancellationToken.None), cron,
                    new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            }
            catch (ArgumentException ex)
            {
                return [$"cron: '{cron}' is not a cron expression ({(ex.InnerException ?? ex).Message})"];
            }
        }
        else
            recurring.RemoveIfExists(id);
        await transaction.CommitAsync(cancellationToken);
        return [];
    }
}
