using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Ppo;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Web.Training;

/// <summary>
/// A stretch of a scored response's text: one token's characters (or text between tokens, with no mass), the span
/// model's predicted error mass there (the probability of any error category, 0 to 1), and the most likely category
/// with its probability. Background is the highlight's CSS colour, made here from the mass alone.
/// </summary>
public sealed record TokenPiece(string Text, double Mass, string? Category, double CategoryProbability)
{
    public string Background => Mass < 0.005 ? "transparent" : $"rgba(220, 50, 47, {Math.Min(1, Mass).ToString("0.00", CultureInfo.InvariantCulture)})";

    public string Tooltip => Category is null ? "" :
        $"{Category} {CategoryProbability.ToString("0.00", CultureInfo.InvariantCulture)} (error mass {Mass.ToString("0.00", CultureInfo.InvariantCulture)})";
}

/// <summary>A response scored token by token: its pieces in text order and the reward, minus the summed error mass.</summary>
public sealed record TokenRewardView(IReadOnlyList<TokenPiece> Pieces, int Tokens, double Reward);

/// <summary>A held-out response of a span run, as its snapshot holds it, to score with the run's model.</summary>
public sealed record HeldOutResponse(int Index, string Name, IReadOnlyList<ChatTurn> Prompt, string Text);

/// <summary>
/// Scores a response with a trained span reward model and lays the per-token error mass over its text, for the run
/// page's panel: the computation stays out of the markup, which only draws the pieces (as text, encoded).
/// </summary>
public sealed class TokenRewardScorer(IDbContextFactory<PreferenceStudioDbContext> contexts, IOptions<StorageOptions> storage, IHostEnvironment environment)
{
    /// <summary>Longer texts are refused: scoring runs on the web node's CPU while someone waits.</summary>
    public const int MaxCharacters = 4000;

    /// <summary>The responses a span run held out (the same split its job made from its snapshot and seed); empty when there is none.</summary>
    public async Task<IReadOnlyList<HeldOutResponse>> HeldOutAsync(long runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is not { Kind: TrainingKind.SpanRewardModel })
            return [];
        var dataset = storage.Value.Resolve(environment.ContentRootPath, $"runs/{runId.ToString(CultureInfo.InvariantCulture)}/dataset.jsonl");
        if (!File.Exists(dataset))
            return [];
        var config = SpanRewardRunConfig.FromJson(run.ConfigJson);
        var rows = SpanSnapshot.Read(dataset);
        var (_, eval) = SnapshotSplit.Split(rows, config.EvalShare, config.Seed);
        return eval.Select((row, i) => new HeldOutResponse(i, $"response {row.ResponseId} ({row.Spans.Count} span(s) marked)", row.Prompt, row.Response)).ToList();
    }

    /// <summary>The folder of the span model a run made, or null when it made none.</summary>
    public async Task<string?> ModelFolderAsync(long runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var path = await db.TrainingRuns.AsNoTracking().Where(r => r.Id == runId)
            .Join(db.ModelVersions.AsNoTracking().Where(m => m.Kind == ModelKind.SpanReward), r => r.OutputModelVersionId, m => (int?)m.Id, (_, m) => m.CheckpointPath)
            .FirstOrDefaultAsync(ct);
        return path is null ? null : storage.Value.Resolve(environment.ContentRootPath, path);
    }

    /// <summary>Scores <paramref name="text"/> as the answer to <paramref name="prompt"/> (empty: a user turn with no text).</summary>
    public static TokenRewardView Score(string modelFolder, IReadOnlyList<ChatTurn> prompt, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            throw new ArgumentException("There is no text to score.", nameof(text));
        if (text.Length > MaxCharacters)
            throw new ArgumentException($"The text has {text.Length} characters; the panel scores at most {MaxCharacters}.", nameof(text));
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(modelFolder, "tokenizer.json"));
        using var model = SpanRewardModel.FromPretrained(modelFolder);
        var messages = prompt.Count == 0 ? [new ChatMessage("user", "")] : prompt.Select(t => new ChatMessage(t.Role, t.Content)).ToList();
        var promptIds = tokenizer.Encode(ChatML.Format(messages));
        var (ids, offsets) = tokenizer.EncodeWithOffsets(text);
        var mass = SpanRewards.ErrorMass(model, [new PpoSample(0, promptIds, ids, Stopped: false)])[0];
        return Lay(text, offsets, mass, model.Categories);
    }

    /// <summary>
    /// The text cut at token boundaries, each token's piece carrying its mass. A character split over several tokens
    /// (an emoji's bytes) is one piece with the largest mass of them; text no token covers is a piece with none.
    /// </summary>
    public static TokenRewardView Lay(string text, IReadOnlyList<TokenOffset> offsets, float[][] mass, IReadOnlyList<string> categories)
    {
        var pieces = new List<TokenPiece>();
        var at = 0;
        for (var t = 0; t < offsets.Count; t++)
        {
            var (start, end) = (Math.Max(offsets[t].Start, at), offsets[t].End);
            var total = mass[t].Sum();
            var top = mass[t].Length == 0 ? -1 : Array.IndexOf(mass[t], mass[t].Max());
            if (end <= start)
            {
                // No new characters: the rest of a split character, or an added prefix space.
                if (pieces.Count > 0 && offsets[t].End > offsets[t].Start && total > pieces[^1].Mass)
                    pieces[^1] = pieces[^1] with { Mass = total, Category = categories[top], CategoryProbability = mass[t][top] };
                continue;
            }
            if (start > at)
                pieces.Add(new TokenPiece(text[at..start], 0, null, 0));
            pieces.Add(new TokenPiece(text[start..end], total, top < 0 ? null : categories[top], top < 0 ? 0 : mass[t][top]));
            at = end;
        }
        if (at < text.Length)
            pieces.Add(new TokenPiece(text[at..], 0, null, 0));
        return new TokenRewardView(pieces, offsets.Count, -mass.Sum(m => (double)m.Sum()));
    }
}
