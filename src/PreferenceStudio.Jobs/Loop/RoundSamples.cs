using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>A sample of a round, as its later stages read it.</summary>
public sealed record RoundSample(int ResponseId, int PromptId, string Text);

/// <summary>
/// The responses a round sampled: stored as the project's responses with a source naming the round and its policy
/// ("round 3 · policy 12", what the pages show) and metadata naming the round ({"round_id": ..., "round": 3}).
/// </summary>
public static class RoundSamples
{
    public static string Source(LoopRound round) =>
        string.Create(CultureInfo.InvariantCulture, $"round {round.Number} · policy {round.PolicyId}");

    public static string Metadata(LoopRound round) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["round_id"] = round.Id, ["round"] = round.Number, ["policy"] = round.PolicyId });

    /// <summary>The round's samples, in prompt and id order.</summary>
    public static Task<List<RoundSample>> LoadAsync(PreferenceStudioDbContext db, LoopRound round, CancellationToken cancellationToken)
    {
        var source = Source(round);
        return db.Responses.AsNoTracking()
            .Where(r => r.Source == source && r.ModelVersionId == round.PolicyId && r.Prompt!.ProjectId == round.ProjectId)
            .OrderBy(r => r.PromptId).ThenBy(r => r.Id)
            .Select(r => new RoundSample(r.Id, r.PromptId, r.Text))
            .ToListAsync(cancellationToken);
    }

    /// <summary>How many samples earlier rounds (any round but this one) took of each of the project's prompts.</summary>
    public static async Task<Dictionary<int, int>> EarlierCountsAsync(PreferenceStudioDbContext db, LoopRound round, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<PromptCount>($"""
                SELECT r.prompt_id, count(*)::int AS count
                FROM responses r JOIN prompts p ON p.id = r.prompt_id
                WHERE p.project_id = {round.ProjectId} AND r.metadata ->> 'round_id' IS NOT NULL
                  AND r.metadata ->> 'round_id' <> {round.Id.ToString(CultureInfo.InvariantCulture)}
                GROUP BY r.prompt_id
                """).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.PromptId, r => r.Count);
    }

    internal sealed class PromptCount
    {
        public int PromptId { get; set; }
        public int Count { get; set; }
    }
}
