using Hangfire;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>Queues the scoring of a project's responses by a reward model on the training queue (it runs the model).</summary>
public sealed class ScoringLauncher(PreferenceStudioDbContext db, IBackgroundJobClient jobs)
{
    /// <summary>The queued job's id, or the problems of the request (each naming its field) and no job.</summary>
    public async Task<(string? JobId, IReadOnlyList<string> Errors)> ScoreProjectAsync(int projectId, int rewardModelId, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken))
            errors.Add($"project: there is no project {projectId}");
        var model = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.Id == rewardModelId, cancellationToken);
        if (model is null)
            errors.Add($"reward_model: there is no model version {rewardModelId}");
        else if (model.Kind != ModelKind.Reward)
            errors.Add($"reward_model: model version {rewardModelId} is a {model.Kind} model, not a reward model");
        if (errors.Count > 0)
            return (null, errors);
        var (jobId, error) = OnDemandJobs.TryEnqueue(() =>
            jobs.Enqueue<ScoreResponsesJob>(JobQueues.Training, j => j.RunAsync(projectId, rewardModelId, null, CancellationToken.None)));
        return jobId is null ? (null, [$"job: {error}"]) : (jobId, []);
    }
}
