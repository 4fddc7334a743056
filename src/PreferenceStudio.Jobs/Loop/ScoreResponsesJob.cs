using System.Globalization;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>Scores every response of a project with a reward model (<see cref="ResponseScorer"/>), for the pages to show beside them.</summary>
public sealed class ScoreResponsesJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<ScoreResponsesJob> logger, ResponseScorer scorer)
    : JobBase(db, clock, logger)
{
    public const string Name = "score-responses";

    public Task<string?> RunAsync(int projectId, int rewardModelId, PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(Name, context, async () =>
        {
            var ids = await Db.Responses.AsNoTracking().Where(r => r.Prompt!.ProjectId == projectId).OrderBy(r => r.Id).Select(r => r.Id)
                .ToListAsync(cancellationToken);
            var started = Clock.GetTimestamp();
            var scores = await scorer.ScoreAsync(rewardModelId, ids, cancellationToken);
            var seconds = Clock.GetElapsedTime(started).TotalSeconds;
            return string.Create(CultureInfo.InvariantCulture,
                $"scored {scores.Count} responses of project {projectId} with reward model {rewardModelId}, {scores.Count / Math.Max(seconds, 1e-9):N0} responses/s");
        });
}
