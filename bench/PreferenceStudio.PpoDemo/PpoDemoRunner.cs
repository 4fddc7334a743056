using System.Diagnostics;
using PreferenceStudio.Annotating.Simulation;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training;
using PreferenceStudio.Training.Online;
using PreferenceStudio.Training.Ppo;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.PpoDemo;

/// <summary>
/// Fine-Grained RLHF's comparison at the demo's scale, on checkpoint folders and without a database. Four arms start
/// from the error demo policy; per round each samples two answers to each of the round's prompts from its own policy
/// and the simulated annotator (DemoErrors) labels them: the scalar arm gets which of the two has fewer errors (noisy),
/// refreshes a scalar reward model on every preference so far and runs PPO with it at each response's end; the span
/// arm gets the error spans marked on both answers (noisy), refreshes a span reward model on every marked answer so far
/// and runs PPO with its dense rewards at sentence ends; online DPO trains on its own round's preferences; the mixed
/// arm gets both the preference and the span marks on its own answers, refreshes both models and runs PPO with their
/// weighted sum (Fine-Grained RLHF's error models next to its completeness model, which learns from comparisons).
/// Then every arm's error rates are counted on held-out prompts.
/// </summary>
internal sealed class PpoDemoRunner(PpoDemoConfig config, string workFolder, int seed, TextWriter log)
{
    public const string Scalar = "PPO, scalar RM";
    public const string Spans = "PPO, span RM";
    public const string Dpo = "online DPO";
    public const string Mixed = "PPO, span + scalar mix";
    public static readonly string[] Arms = [Scalar, Spans, Mixed, Dpo];

    private readonly BradleyTerryJudge judge = DemoErrors.Judge(seed);
    private readonly SimulatedSpanMarker marker = DemoErrors.SpanMarker(seed + 1);
    private readonly ErrorTaxonomy taxonomy = DemoErrors.Taxonomy;

    public ErrorStats? Base { get; private set; }

    public IEnumerable<IReadOnlyList<ArmRound>> Run(int rounds)
    {
        var baseFolder = Path.Combine(workFolder, "base");
        if (File.Exists(Path.Combine(baseFolder, "model.safetensors")))
            log.WriteLine($"base policy reused from {baseFolder}");
        else
        {
            var clock = Stopwatch.StartNew();
            ErrorDemoPolicy.Create(baseFolder, DemoErrors.MadeUpFactWords, DemoErrors.FillerWords, seed: (ulong)seed);
            log.WriteLine($"base policy pretrained in {clock.Elapsed.TotalSeconds:F0} s");
        }
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(baseFolder, "tokenizer.json"));
        var end = tokenizer.TokenToId(ChatML.End)!.Value;
        var spanBuilder = new SpanExampleBuilder(tokenizer, taxonomy.CategoryNames, end);
        var heldOut = ErrorDemoPolicy.Prompts.Where((_, i) => i % 4 == 3).ToList();
        var training = ErrorDemoPolicy.Prompts.Where((_, i) => i % 4 != 3).ToList();

        // Held out for the reward models' quality: the base's answers to held-out prompts, labelled once.
        var baseEval = Sample(baseFolder, tokenizer, heldOut, config.EvalSamplesPerPrompt, 1000);
        Base = ErrorStats.Of(taxonomy, Texts(baseEval));
        log.WriteLine($"base: {Base.MeanWords:F1} words an answer; e.g. \"{baseEval[0].Responses[0].Text}\"");
        var heldOutPairs = baseEval.SelectMany(p => Enumerable.Range(0, p.Responses.Count / 2).Select(j => Label(p, 2 * j))).ToList();
        var heldOutBayes = judge.BayesAccuracy(baseEval.SelectMany(p => Enumerable.Range(0, p.Responses.Count / 2).Select(j => (p.Responses[2 * j].Text, p.Responses[2 * j + 1].Text))));
        var heldOutSpans = baseEval.SelectMany(p => p.Responses.Select(r => Marked(spanBuilder, p, r))).ToList();

        var current = Arms.ToDictionary(a => a, _ => baseFolder);
        var preferences = new List<PreferencePair>();
        var marked = new List<SpanExample>();
        var mixedPreferences = new List<PreferencePair>();
        var mixedMarked = new List<SpanExample>();
        for (var round = 1; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var prompts = Enumerable.Range(0, config.PromptsPerRound).Select(i => training[((round - 1) * config.PromptsPerRound + i) % training.Count]).ToList();
            var reports = new List<ArmRound>();
            var ppoSeed = (ulong)(seed * 100 + round);

            // (a) the sparse scalar reward
            var sampled = Sample(current[Scalar], tokenizer, prompts, 2, seed * 100 + 10 + round);
            preferences.AddRange(sampled.Select(p => Label(p, 0)));
            var (rewardModel, rewardResult) = OnlineRound.TrainRewardModel(baseFolder, preferences, heldOutPairs, config.Reward);
            PpoRoundResult scalarRun;
            using (rewardModel)
                scalarRun = PpoRound.Run(current[Scalar], Next(Scalar, round), training, _ => AtEnd(rewardModel), config.Ppo with { Seed = ppoSeed }, config.RolloutBatches, referenceFolder: baseFolder);
            current[Scalar] = Next(Scalar, round);
            reports.Add(Report(Scalar, round, current[Scalar], tokenizer, heldOut, Accuracy(rewardResult, heldOutBayes, preferences.Count), scalarRun));

            // (b) the fine-grained rewards: the same number of answers annotated, span marks instead of a preference
            sampled = Sample(current[Spans], tokenizer, prompts, 2, seed * 100 + 20 + round);
            marked.AddRange(sampled.SelectMany(p => p.Responses.Select(r => Marked(spanBuilder, p, r))));
            PpoRoundResult spanRun;
            string spanQuality;
            using (var spanModel = TrainSpanModel(baseFolder, marked, heldOutSpans, out spanQuality))
                spanRun = PpoRound.Run(current[Spans], Next(Spans, round), training, _ => SpanRewards.For(spanModel, config.Segments, tokenizer), config.Ppo with { Seed = ppoSeed }, config.RolloutBatches, referenceFolder: baseFolder);
            current[Spans] = Next(Spans, round);
            reports.Add(Report(Spans, round, current[Spans], tokenizer, heldOut, spanQuality, spanRun));

            // online DPO on its own answers' preferences, as many as the scalar arm's this round
            sampled = Sample(current[Dpo], tokenizer, prompts, 2, seed * 100 + 30 + round);
            var pairs = sampled.Select(p => DpoExample.From(Label(p, 0))).ToList();
            var dpoClock = Stopwatch.StartNew();
            OnlineRound.TrainPolicy(current[Dpo], Next(Dpo, round), pairs, config.Dpo);
            var dpoTokens = (double)config.Dpo.Epochs * pairs.Sum(p => 2 * p.Prompt.Count + p.Chosen.Count + p.Rejected.Count);
            var dpoSpeed = dpoTokens / dpoClock.Elapsed.TotalSeconds;
            current[Dpo] = Next(Dpo, round);
            var dpoReport = Report(Dpo, round, current[Dpo], tokenizer, heldOut, $"{pairs.Count} preferences this round", null) with { TrainingTokensPerSecond = dpoSpeed };

            // (c) both, mixed: the preference and the span marks on the same answers of its own. Run last, so that the
            // other arms' first round is that of the three-arm demo; the annotator's draws are shared, so later rounds differ.
            sampled = Sample(current[Mixed], tokenizer, prompts, 2, seed * 100 + 40 + round);
            mixedPreferences.AddRange(sampled.Select(p => Label(p, 0)));
            mixedMarked.AddRange(sampled.SelectMany(p => p.Responses.Select(r => Marked(spanBuilder, p, r))));
            var (mixedRewardModel, mixedRewardResult) = OnlineRound.TrainRewardModel(baseFolder, mixedPreferences, heldOutPairs, config.Reward);
            PpoRoundResult mixedRun;
            string mixedQuality;
            using (mixedRewardModel)
            using (var mixedSpanModel = TrainSpanModel(baseFolder, mixedMarked, heldOutSpans, out mixedQuality))
            {
                var mix = PpoRewards.Mix((config.MixSpanWeight, SpanRewards.For(mixedSpanModel, config.Segments, tokenizer)), (config.MixScalarWeight, AtEnd(mixedRewardModel)));
                mixedRun = PpoRound.Run(current[Mixed], Next(Mixed, round), training, _ => mix, config.Ppo with { Seed = ppoSeed }, config.RolloutBatches, referenceFolder: baseFolder);
            }
            current[Mixed] = Next(Mixed, round);
            reports.Add(Report(Mixed, round, current[Mixed], tokenizer, heldOut,
                $"{Accuracy(mixedRewardResult, heldOutBayes, mixedPreferences.Count)}; {mixedQuality}", mixedRun));
            reports.Add(dpoReport);
            log.WriteLine($"round {round} done in {clock.Elapsed.TotalSeconds:F0} s");
            yield return reports;
        }
    }

    private ArmRound Report(string arm, int round, string folder, BpeTokenizer tokenizer, IReadOnlyList<string> heldOut, string quality, PpoRoundResult? run)
    {
        var answers = Texts(Sample(folder, tokenizer, heldOut, config.EvalSamplesPerPrompt, 2000 + round));
        var stats = ErrorStats.Of(taxonomy, answers);
        var kl = run?.Last("objective/kl") ?? double.NaN;
        log.WriteLine($"round {round}, {arm}: {quality}; " + string.Join(", ", taxonomy.CategoryNames.Select(c => $"{c} {stats.Show(c)}")) +
            $", {stats.MeanWords:F1} words" + (run is null ? "" : $", KL to the base {kl:F2}, scores {run.Last("objective/scores"):F2}") + $"; e.g. \"{answers[0]}\"");
        return new ArmRound(arm, round, stats, quality, kl, run?.RolloutTokensPerSecond ?? 0, run?.TrainingTokensPerSecond ?? 0);
    }

    private string Next(string arm, int round) => Path.Combine(workFolder, $"{arm switch { Scalar => "scalar", Spans => "spans", Mixed => "mixed", _ => "dpo" }}-{round}");

    /// <summary>The scalar reward model's score at each answer's end.</summary>
    private static PpoRewardFunction AtEnd(RewardModel rewardModel) => PpoRewards.AtEnd(samples =>
        RewardScoring.Score(rewardModel, samples.Select(s => s.Prompt.Concat(s.Response).ToArray()).ToList(), 64, int.MaxValue).Select(x => (double)x).ToList());

    private static string Accuracy(RewardTrainingResult result, double bayes, int preferences) =>
        $"accuracy {result.Eval["eval_rewards/accuracies"]:P1} (Bayes {bayes:P1}) on {preferences} preferences";

    /// <summary>A span model refreshed from the base on every marked answer so far, and its held-out F1 per category.</summary>
    private SpanRewardModel TrainSpanModel(string baseFolder, List<SpanExample> marked, List<SpanExample> heldOutSpans, out string quality)
    {
        TorchSharp.torch.manual_seed((long)config.Span.Seed);
        var spanModel = new SpanRewardModel(CausalLM.FromPretrained(baseFolder), taxonomy.CategoryNames);
        var eval = new SpanRewardTrainer(spanModel, config.Span with { ClassWeights = [1, .. taxonomy.CategoryNames.Select(_ => config.ErrorClassWeight)] }).Train(marked, heldOutSpans).Eval;
        // F1 of a category the held-out answers never hold (the base does not stutter) says nothing: "–".
        quality = $"F1 {string.Join(" / ", taxonomy.CategoryNames.Select((c, i) => heldOutSpans.Any(e => e.Tags.Contains(i + 1)) ? eval[$"eval_{c}/f1"].ToString("F2") : "–"))} on {marked.Count} marked answers";
        return spanModel;
    }

    /// <summary>The annotator's noisy choice between answers j and j + 1 of a prompt.</summary>
    private PreferencePair Label(SampledPrompt p, int j) =>
        judge.Prefers(p.Responses[j].Text, p.Responses[j + 1].Text) ? p.Pair(j, j + 1) : p.Pair(j + 1, j);

    /// <summary>An answer with the annotator's noisy span marks, as the span model trains on it (the chat-formatted
    /// prompt, as PPO's samples carry it).</summary>
    private SpanExample Marked(SpanExampleBuilder builder, SampledPrompt p, PolicySample r) =>
        builder.Build(p.Prompt, DemoPolicy.ChatPrompt(p.Prompt), r.Text,
            marker.Mark(r.Text).Select(s => new TextSpan(s.Start, s.End, s.Category)).ToList());

    private IReadOnlyList<SampledPrompt> Sample(string folder, BpeTokenizer tokenizer, IReadOnlyList<string> prompts, int k, int sampleSeed)
    {
        using var policy = CausalLM.FromPretrained(folder);
        return new PolicySampler(policy, tokenizer).Sample(prompts, k, config.Temperature, config.MaxNewTokens, (ulong)sampleSeed);
    }

    private static List<string> Texts(IEnumerable<SampledPrompt> sampled) => sampled.SelectMany(p => p.Responses.Select(r => r.Text)).ToList();
}
