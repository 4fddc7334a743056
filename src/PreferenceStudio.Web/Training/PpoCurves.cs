using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Training;

/// <summary>A group of a PPO run's curves under TRL's names, as its page draws them; <see cref="Prefix"/> takes in every series under it.</summary>
public sealed record PpoCurveGroup(string Title, string TestId, IReadOnlyList<string> Keys, string? Prefix = null);

/// <summary>
/// A PPO run's curves by group: the rewards by source (objective/scores and the share of each reward source, the
/// RLHF reward after the KL penalty, the KL itself), the policy's (loss, clipped share, approximate KL, ratio) and the
/// value head's loss, each key's series by iteration; the held-out values at the end come with the rewards.
/// </summary>
public sealed class PpoCurves(IDbContextFactory<PreferenceStudioDbContext> contexts)
{
    public const string SourcePrefix = "objective/scores/";

    public static readonly IReadOnlyList<PpoCurveGroup> Groups =
    [
        new("Rewards by source", "rewards", ["objective/scores", "objective/rlhf_reward", "objective/kl"], SourcePrefix),
        new("Policy", "policy", ["loss/policy_avg", "policy/clipfrac_avg", "policy/approxkl_avg", "val/ratio"]),
        new("Value", "value", ["loss/value_avg"]),
    ];

    /// <summary>Held-out measures a PPO run records at its end (the base's and the trained policy's mean reward, KL to the reference).</summary>
    public static readonly IReadOnlyList<string> HeldOut = ["eval_objective/scores_reference", "eval_objective/scores", "eval_objective/kl"];

    /// <summary>Every charted series of the run, key → step → value, and its held-out measures.</summary>
    public async Task<(Dictionary<string, SortedDictionary<int, double>> Series, Dictionary<string, double> HeldOut)> LoadAsync(long runId, CancellationToken ct)
    {
        var keys = Groups.SelectMany(g => g.Keys).ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var points = await db.RunMetrics.AsNoTracking()
            .Where(m => m.RunId == runId && (keys.Contains(m.Key) || m.Key.StartsWith(SourcePrefix) || HeldOut.Contains(m.Key)))
            .Select(m => new { m.Key, m.Step, m.Value })
            .ToListAsync(ct);
        var series = points.Where(p => !HeldOut.Contains(p.Key)).GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => new SortedDictionary<int, double>(g.GroupBy(p => p.Step).ToDictionary(s => s.Key, s => s.Last().Value)));
        var heldOut = points.Where(p => HeldOut.Contains(p.Key)).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        return (series, heldOut);
    }
}
