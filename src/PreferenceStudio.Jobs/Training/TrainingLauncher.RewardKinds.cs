using Hangfire;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>The launches of the span and principle reward models (Fine-Grained RLHF's and RLBFF's reward models).</summary>
public sealed partial class TrainingLauncher
{
    /// <summary>A queued span reward model run on the project's span labels, or the problems of the request and no run.</summary>
    public async Task<(TrainingRun? Run, IReadOnlyList<string> Errors)> LaunchSpanRewardModelAsync(
        int projectId, int baseModelVersionId, SpanRewardRunConfig config, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        // The weights are per class of this project's taxonomy, which only the database knows: checked here, not by the config.
        if (config.Trainer.ClassWeights is { } weights)
        {
            var categories = await db.SpanLabels.CountAsync(l => l.ProjectId == projectId, cancellationToken);
            if (weights.Count != categories + 1)
                return (null, [.. config.Validate(),
                    $"class_weights: give {categories + 1} weights, one for \"no error\" then one per span label of the project ({categories}); got {weights.Count}"]);
        }
        return await LaunchAsync(TrainingKind.SpanRewardModel, projectId, baseModelVersionId, config, requestedBy,
            id => jobs.Enqueue<SpanRewardModelJob>(JobQueues.Training, j => j.RunAsync(id, null, CancellationToken.None)), cancellationToken);
    }

    /// <summary>A queued principle reward model run on the project's principle verdicts, or the problems of the request and no run.</summary>
    public Task<(TrainingRun? Run, IReadOnlyList<string> Errors)> LaunchPrincipleRewardModelAsync(
        int projectId, int baseModelVersionId, PrincipleRewardRunConfig config, string requestedBy, CancellationToken cancellationToken) =>
        LaunchAsync(TrainingKind.PrincipleRewardModel, projectId, baseModelVersionId, config, requestedBy,
            id => jobs.Enqueue<PrincipleRewardModelJob>(JobQueues.Training, j => j.RunAsync(id, null, CancellationToken.None)), cancellationToken);

    /// <summary>A stored config, refused with its problems when it is not valid (a hand-edited run): the job fails saying so.</summary>
    public static T Checked<T>(T config) where T : ITrainingRunConfig
    {
        var errors = config.Validate();
        return errors.Count == 0 ? config : throw new InvalidOperationException("The run's config is not valid: " + string.Join("; ", errors));
    }
}
