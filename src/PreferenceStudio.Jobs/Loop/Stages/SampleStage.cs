using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Data;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Generation;
using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Jobs.Loop.Stages;

/// <summary>
/// (2) Samples K answers per prompt from the round's policy for prompts_per_round of the project's prompts, those
/// earlier rounds sampled least first (ties in a seeded order), and stores them as the project's responses. Progress
/// counts prompts; a resumed stage samples only the prompts that lack their K answers.
/// </summary>
public sealed class SampleStage(
    PreferenceStudioDbContext db,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torch,
    IOptions<LoopOptions> options,
    IHostEnvironment environment) : IRoundStage
{
    public RoundStageKind Kind => RoundStageKind.Sample;

    public async Task<StageOutcome> RunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(settings);
        var k = settings.ResponsesPerPrompt;
        var prompts = await ChoosePromptsAsync(round, settings.PromptsPerRound, cancellationToken);
        var have = (await RoundSamples.LoadAsync(db, round, cancellationToken)).GroupBy(s => s.PromptId).ToDictionary(g => g.Key, g => g.Count());
        var todo = prompts.Where(p => have.GetValueOrDefault(p.Id) < k).ToList();
        var done = prompts.Count - todo.Count;
        round.ReportProgress(done, prompts.Count);
        await SaveAsync(round, cancellationToken);
        if (prompts.Count == 0)
            throw new InvalidOperationException($"Round {round.Number}: the project has no prompts to sample answers for.");

        var (tokens, seconds) = (0L, 0.0);
        if (todo.Count > 0)
        {
            var policy = await db.ModelVersions.AsNoTracking().SingleAsync(m => m.Id == round.PolicyId, cancellationToken);
            var folder = storage.Value.Resolve(environment.ContentRootPath, policy.CheckpointPath);
            torch.Value.ApplyThreads();
            using var model = CausalLM.FromPretrained(folder, torch.Value.ResolveDevice());
            var sampler = new ChatSampler(model, BpeTokenizer.FromFile(Path.Combine(folder, "tokenizer.json")));
            var (source, metadata) = (RoundSamples.Source(round), RoundSamples.Metadata(round));
            var perBatch = Math.Max(1, options.Value.SampleBatchSize / k);
            foreach (var batch in todo.Chunk(perBatch))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var answers = sampler.Sample(batch.Select(Conversation).ToList(), k, new GenerationOptions
                {
                    MaxNewTokens = options.Value.MaxNewTokens,
                    Temperature = options.Value.Temperature,
                    // A batch's seed names the round and its first prompt: another attempt at the same batch gives the same answers.
                    Seed = (ulong)(uint)RoundSeed.For(round, Kind) ^ ((ulong)(uint)batch[0].Id << 32),
                });
                seconds += clock.Elapsed.TotalSeconds;
                for (var i = 0; i < batch.Length; i++)
                {
                    foreach (var answer in answers[i].Take(k - have.GetValueOrDefault(batch[i].Id)))
                        batch[i].AddResponse(answer.Text, source, policy.Id, metadata);
                    tokens += answers[i].Sum(a => a.Tokens);
                }
                done += batch.Length;
                round.ReportProgress(done, prompts.Count);
                await SaveAsync(round, cancellationToken);
            }
        }
        var speed = seconds > 0 ? string.Create(CultureInfo.InvariantCulture, $", {tokens / seconds:N0} tokens/s sampling") : "";
        return StageOutcome.Finished(string.Create(CultureInfo.InvariantCulture, $"{prompts.Count} prompts, {prompts.Count * k} samples{speed}"));
    }

    private async Task SaveAsync(LoopRound round, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.NotifyRoundChangedAsync(round.Id, CancellationToken.None);
    }

    private static IReadOnlyList<ChatMessage> Conversation(Prompt prompt) =>
        prompt.Conversation.Select(t => new ChatMessage(t.Role, t.Content)).ToList();

    /// <summary>
    /// The round's prompts: those earlier rounds sampled least first, ties in the round's seeded order. Earlier rounds
    /// only, so a resumed stage chooses the same prompts whatever it stored before it stopped.
    /// </summary>
    private async Task<List<Prompt>> ChoosePromptsAsync(LoopRound round, int count, CancellationToken cancellationToken)
    {
        var earlier = await RoundSamples.EarlierCountsAsync(db, round, cancellationToken);
        var ids = await db.Prompts.Where(p => p.ProjectId == round.ProjectId).OrderBy(p => p.Id).Select(p => p.Id).ToArrayAsync(cancellationToken);
        new Random(RoundSeed.For(round, Kind)).Shuffle(ids);
        var chosen = ids.OrderBy(id => earlier.GetValueOrDefault(id)).Take(count).ToList();
        var prompts = await db.Prompts.Where(p => chosen.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        return chosen.Select(id => prompts[id]).ToList();
    }
}
