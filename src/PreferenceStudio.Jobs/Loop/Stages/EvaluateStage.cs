using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PreferenceStudio.Annotating.Simulation;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Data;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Generation;
using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Jobs.Loop.Stages;

/// <summary>
/// (5) Measures the new policy: one seeded answer per evaluation prompt from the new policy, the round's starting
/// policy and the base, the same prompts and seeds every round of the project so rounds compare; the judge
/// (<see cref="IPolicyJudge"/>) decides each pair, ties count half, and the win-rates go on the round with their Wilson
/// intervals. The new policy then becomes the project's: the next round improves it.
/// </summary>
public sealed class EvaluateStage(
    PreferenceStudioDbContext db,
    IPolicyJudge judge,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torch,
    IOptions<LoopOptions> options,
    IHostEnvironment environment) : IRoundStage
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public RoundStageKind Kind => RoundStageKind.Evaluate;

    public async Task<StageOutcome> RunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(settings);
        var newPolicy = round.OutputPolicyId ?? throw new InvalidOperationException($"Round {round.Number} has no new policy to evaluate.");
        var prompts = await EvalPromptsAsync(round.ProjectId, settings.EvalPrompts, cancellationToken);
        var policies = new[] { newPolicy, round.PolicyId, round.BasePolicyId }.Distinct().ToList();
        var answers = new Dictionary<int, IReadOnlyList<string>>();
        foreach (var policy in policies)
        {
            round.ReportProgress(answers.Count, policies.Count + 1);
            answers[policy] = await AnswerAsync(policy, round.ProjectId, prompts, cancellationToken);
        }
        round.ReportProgress(policies.Count, policies.Count + 1);

        var vsPrevious = await JudgeAsync(round, prompts, answers[newPolicy], answers[round.PolicyId], cancellationToken);
        var vsBase = round.BasePolicyId == round.PolicyId ? vsPrevious
            : await JudgeAsync(round, prompts, answers[newPolicy], answers[round.BasePolicyId], cancellationToken);
        round.ReportProgress(policies.Count + 1, policies.Count + 1);
        await AdvanceLoopAsync(round, newPolicy, cancellationToken);
        if (vsPrevious is null || vsBase is null)
            return StageOutcome.Finished($"policy {newPolicy} is the project's policy now; not judged: {judge.Description} cannot judge this round");

        round.RecordWinRates(vsPrevious.Share, vsBase.Share, JsonSerializer.Serialize(new
        {
            VsPrevious = Metrics(vsPrevious),
            VsBase = Metrics(vsBase),
            Judge = judge.Description,
            EvalPrompts = prompts.Count,
        }, Json));
        return StageOutcome.Finished(string.Create(CultureInfo.InvariantCulture,
            $"win-rate {vsPrevious.Share:P0} against the round's starting policy, {vsBase.Share:P0} against the base, over {prompts.Count} prompts ({judge.Description}); policy {newPolicy} is the project's policy now"));
    }

    private static object Metrics(WinRate rate)
    {
        var (low, high) = rate.Interval();
        return new { rate.Wins, rate.Judged, rate.Share, Low = low, High = high };
    }

    private async Task<WinRate?> JudgeAsync(LoopRound round, List<Prompt> prompts, IReadOnlyList<string> candidate, IReadOnlyList<string> opponent,
        CancellationToken cancellationToken)
    {
        var outcomes = await judge.JudgeAsync(round, prompts.Select((p, i) => new JudgedPair(p.Conversation, candidate[i], opponent[i])).ToList(), cancellationToken);
        return outcomes is null ? null : new WinRate(outcomes.Sum(), outcomes.Count);
    }

    /// <summary>The project's evaluation prompts: the same ones every round (a fixed, seeded order of the prompts by id).</summary>
    private async Task<List<Prompt>> EvalPromptsAsync(int projectId, int count, CancellationToken cancellationToken)
    {
        var ids = await db.Prompts.AsNoTracking().Where(p => p.ProjectId == projectId).OrderBy(p => p.Id).Select(p => p.Id).ToArrayAsync(cancellationToken);
        new Random(RoundSeed.ForProject(projectId)).Shuffle(ids);
        var chosen = ids.Take(count).ToList();
        var prompts = await db.Prompts.AsNoTracking().Where(p => chosen.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        return chosen.Select(id => prompts[id]).ToList();
    }

    /// <summary>One answer per prompt from the policy, seeded by the project, so every policy meets the same randomness.</summary>
    private async Task<IReadOnlyList<string>> AnswerAsync(int policyId, int projectId, List<Prompt> prompts, CancellationToken cancellationToken)
    {
        var policy = await db.ModelVersions.AsNoTracking().SingleAsync(m => m.Id == policyId, cancellationToken);
        var folder = storage.Value.Resolve(environment.ContentRootPath, policy.CheckpointPath);
        torch.Value.ApplyThreads();
        using var model = CausalLM.FromPretrained(folder, torch.Value.ResolveDevice());
        var sampler = new ChatSampler(model, BpeTokenizer.FromFile(Path.Combine(folder, "tokenizer.json")));
        var answers = new List<string>(prompts.Count);
        var chunk = 0;
        foreach (var batch in prompts.Chunk(Math.Max(1, options.Value.SampleBatchSize)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var samples = sampler.Sample(batch.Select(p => (IReadOnlyList<ChatMessage>)p.Conversation.Select(t => new ChatMessage(t.Role, t.Content)).ToList()).ToList(),
                1, new GenerationOptions
                {
                    MaxNewTokens = options.Value.MaxNewTokens,
                    Temperature = options.Value.Temperature,
                    Seed = (ulong)(uint)RoundSeed.ForProject(projectId) + (ulong)chunk++,
                });
            answers.AddRange(samples.Select(s => s[0].Text));
        }
        return answers;
    }

    /// <summary>The new policy becomes the project's, unless the loop was started over from another base meanwhile.</summary>
    private async Task AdvanceLoopAsync(LoopRound round, int newPolicy, CancellationToken cancellationToken)
    {
        var loop = await db.LoopSettings.SingleOrDefaultAsync(s => s.ProjectId == round.ProjectId, cancellationToken);
        if (loop is not null && loop.BasePolicyId == round.BasePolicyId)
            loop.Advance(newPolicy);
    }
}
