using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Models;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// Scores responses with a registered reward model, in batches, and keeps each score as a <see cref="Core.Loop.ResponseScore"/>
/// (one per response and reward model: scoring again replaces it). The loop's pairs and the pages' scores read these.
/// </summary>
public sealed class ResponseScorer(
    PreferenceStudioDbContext db,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torch,
    IOptions<LoopOptions> loop,
    IHostEnvironment environment,
    TimeProvider clock)
{
    /// <summary>Responses read, scored and stored together, so a long job keeps its progress in steps of this many.</summary>
    public const int Chunk = 256;

    /// <summary>Loads a reward model version (it must be one) from the store, on the configured device.</summary>
    public async Task<LoadedRewardModel> LoadAsync(int rewardModelId, int maxLength, CancellationToken cancellationToken)
    {
        var version = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.Id == rewardModelId, cancellationToken)
            ?? throw new InvalidOperationException($"reward_model: there is no model version {rewardModelId}");
        if (version.Kind != ModelKind.Reward)
            throw new InvalidOperationException($"reward_model: model version {rewardModelId} is a {version.Kind} model, not a reward model");
        torch.Value.ApplyThreads();
        return LoadedRewardModel.Load(storage.Value.Resolve(environment.ContentRootPath, version.CheckpointPath), torch.Value.ResolveDevice(),
            loop.Value.ScoreBatchSize, maxLength);
    }

    /// <summary>Scores <paramref name="responseIds"/> and stores the scores; returns them by response id.</summary>
    public async Task<IReadOnlyDictionary<int, double>> ScoreAsync(int rewardModelId, IReadOnlyList<int> responseIds, CancellationToken cancellationToken,
        IProgress<int>? progress = null, int maxLength = 1024)
    {
        ArgumentNullException.ThrowIfNull(responseIds);
        var scores = new Dictionary<int, double>();
        if (responseIds.Count == 0)
            return scores;
        using var model = await LoadAsync(rewardModelId, maxLength, cancellationToken);
        foreach (var chunk in responseIds.Chunk(Chunk))
        {
            var responses = await db.Responses.AsNoTracking().Where(r => chunk.Contains(r.Id)).OrderBy(r => r.Id)
                .Select(r => new { r.Id, r.Text, r.PromptId }).ToListAsync(cancellationToken);
            var promptIds = responses.Select(r => r.PromptId).Distinct().ToList();
            var prompts = await db.Prompts.AsNoTracking().Where(p => promptIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
            var values = model.Score(responses.Select(r => (prompts[r.PromptId].Conversation, r.Text)).ToList());
            var ids = responses.Select(r => r.Id).ToArray();
            var stored = values.Select(v => (double)v).ToArray();
            // One statement per chunk: a score computed again replaces the one before.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO response_scores (response_id, reward_model_id, score, scored_at)
                SELECT unnest({ids}), {rewardModelId}, unnest({stored}), {clock.GetUtcNow()}
                ON CONFLICT (response_id, reward_model_id) DO UPDATE SET score = excluded.score, scored_at = excluded.scored_at
                """, cancellationToken);
            for (var i = 0; i < ids.Length; i++)
                scores[ids[i]] = stored[i];
            progress?.Report(scores.Count);
        }
        return scores;
    }
}
