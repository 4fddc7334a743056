using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>What a round's pairs file holds, and what people's labels gave no pair.</summary>
public sealed record RoundPairCounts(int Human, int RewardModel, int Ties, int BothBad)
{
    public int Pairs => Human + RewardModel;
}

/// <summary>
/// Writes a round's pairs as TRL's preference layout (as <see cref="TrlPreferenceFormat"/> writes a project's), each
/// row also saying its "source" ("human": a person's pairwise label on the round's task; "reward_model": best-of-K
/// against worst-of-K) and its "round". One pair per current label of the round's tasks; a prompt someone labelled gets
/// no reward-model pair. The labels behind the human pairs go to pair-counts.json first, then the pairs, whole or not at all.
/// </summary>
public sealed class RoundPairsWriter(PreferenceStudioDbContext db, IOptions<StorageOptions> storage, IHostEnvironment environment)
{
    public const string Human = "human";
    public const string RewardModel = "reward_model";

    public async Task<RoundPairCounts> WriteAsync(LoopRound round, IReadOnlyList<SampledPrompt> prompts, IReadOnlyList<AnnotationTask> tasks,
        IReadOnlyDictionary<int, double>? scores, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(tasks);
        var taskIds = tasks.Select(t => t.Id).ToList();
        var labels = await db.PairwiseAnnotations.AsNoTracking().Where(a => taskIds.Contains(a.TaskId) && a.SupersededAt == null)
            .OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var promptOf = tasks.ToDictionary(t => t.Id, t => t.PromptId);
        var promptIds = prompts.Select(p => p.PromptId).ToList();
        var conversations = await db.Prompts.AsNoTracking().Where(p => promptIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Conversation, cancellationToken);
        var texts = prompts.SelectMany(p => p.Samples).ToDictionary(s => s.ResponseId, s => s.Text);

        var counts = new PairCounts();
        var rows = new List<Action<Utf8JsonWriter>>();
        foreach (var label in labels)
        {
            counts.Read(PairSourceKind.Pairwise, label.CreatedAt);
            if (label.BothBad)
                counts.LeaveOut(LeftOutReason.PairwiseBothBad);
            else if (label.ChosenRejected is { } pair)
            {
                counts.Keep(PairSourceKind.Pairwise);
                var prompt = conversations[promptOf[label.TaskId]];
                rows.Add(json => WriteHuman(json, round, prompt, texts[pair.Chosen], texts[pair.Rejected], label));
            }
            else
                counts.LeaveOut(LeftOutReason.PairwiseTie);
        }
        var labelled = labels.Select(l => promptOf[l.TaskId]).ToHashSet();
        var rewardModelPairs = 0;
        if (scores is not null)
            foreach (var prompt in prompts.Where(p => !labelled.Contains(p.PromptId)))
                if (prompt.BestVersusWorst(scores) is { } extremes)
                {
                    rewardModelPairs++;
                    var conversation = conversations[prompt.PromptId];
                    rows.Add(json => WriteRanked(json, round, conversation, extremes.Best, extremes.Worst, scores));
                }

        var countsFile = Store(RoundFiles.PairCounts(round.Id));
        Directory.CreateDirectory(Path.GetDirectoryName(countsFile)!);
        await File.WriteAllTextAsync(countsFile, counts.ToJson(), cancellationToken);
        await DatasetWriter.WriteFileAsync(Store(RoundFiles.Pairs(round.Id)), async writer =>
        {
            foreach (var row in rows)
                await writer.WriteRowAsync(row, cancellationToken);
        }, cancellationToken);
        return new RoundPairCounts(counts.KeptOf(PairSourceKind.Pairwise), rewardModelPairs,
            counts.LeftOutFor(LeftOutReason.PairwiseTie), counts.LeftOutFor(LeftOutReason.PairwiseBothBad));
    }

    private string Store(string relative) => storage.Value.Resolve(environment.ContentRootPath, relative);

    private static void WriteHuman(Utf8JsonWriter json, LoopRound round, IReadOnlyList<ChatTurn> prompt, string chosen, string rejected, PairwiseAnnotation label)
    {
        WritePair(json, round, prompt, chosen, rejected, label.Strength, Human);
        json.WriteNumber("task_id", label.TaskId);
        json.WriteString("annotator", label.AnnotatorId);
        json.WriteString("labelled_at", label.CreatedAt);
    }

    private static void WriteRanked(Utf8JsonWriter json, LoopRound round, IReadOnlyList<ChatTurn> prompt, RoundSample best, RoundSample worst,
        IReadOnlyDictionary<int, double> scores)
    {
        // Margin 0: the reward model says which is better, not how strongly a person would (as a pairwise "better").
        WritePair(json, round, prompt, best.Text, worst.Text, 0, RewardModel);
        json.WriteNumber("reward_model", round.RewardModelId!.Value);
        json.WriteNumber("chosen_score", scores[best.ResponseId]);
        json.WriteNumber("rejected_score", scores[worst.ResponseId]);
    }

    private static void WritePair(Utf8JsonWriter json, LoopRound round, IReadOnlyList<ChatTurn> prompt, string chosen, string rejected, int margin, string source)
    {
        DatasetWriter.WriteMessages(json, "prompt", prompt);
        DatasetWriter.WriteAssistant(json, "chosen", chosen);
        DatasetWriter.WriteAssistant(json, "rejected", rejected);
        json.WriteNumber("margin", margin);
        json.WriteNumber("weight", 1);
        json.WriteString("source", source);
        json.WriteNumber("round", round.Number);
        json.WriteNumber("round_id", round.Id);
    }
}
