using System.Diagnostics;
using PreferenceStudio.Annotating.Simulation;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training;
using PreferenceStudio.Training.Online;

namespace PreferenceStudio.LoopDemo;

/// <summary>
/// Online iterative DPO with the demo's simulated annotator, on checkpoint folders and without a database: per round,
/// sample K answers per prompt from the policy, let the annotator label a share of the pairs, refresh the reward
/// model on every label so far, let it pair best-of-K against worst-of-K for the rest, run DPO against the policy the
/// round started from, and judge the new policy against the base on held-out prompts.
/// </summary>
internal sealed class LoopDemoRunner(OnlineRoundConfig config, string workFolder, int seed, TextWriter log, string? policiesFrom = null, int ensembleProbe = 1)
{
    /// <summary>Held-out answers per held-out prompt, for the win-rate and for the reward model's held-out pairs.</summary>
    public const int EvalSamplesPerPrompt = 64;

    private readonly BradleyTerryJudge labeller = DemoTaste.Judge(seed);
    private readonly WinRateJudge referee = new(DemoTaste.Judge(seed + 1));

    public IEnumerable<RoundReport> Run(int rounds)
    {
        config.ThrowIfInvalid();
        var clock = Stopwatch.StartNew();
        var baseFolder = Path.Combine(workFolder, "base");
        if (File.Exists(Path.Combine(baseFolder, "model.safetensors")))
            log.WriteLine($"base policy reused from {baseFolder}");  // a work folder run again: the same seed made it
        else
            log.WriteLine($"base policy pretrained in {Time(() => DemoPolicy.Create(baseFolder, seed: (ulong)seed)).TotalSeconds:F0} s");
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(baseFolder, "tokenizer.json"));
        // Every fourth prompt is held out: the win-rate and the reward model's accuracy are measured on prompts no round trains on.
        var heldOut = DemoPolicy.Prompts.Where((_, i) => i % 4 == 3).ToList();
        var training = DemoPolicy.Prompts.Where((_, i) => i % 4 != 3).ToList();
        var baseAnswers = EvalAnswers(baseFolder, tokenizer, heldOut, seed: 1000);
        log.WriteLine($"base answers: {MeanWords(baseAnswers):F1} words on average, {baseAnswers.Count(t => t.Length == 0)} empty");

        var labels = new List<PreferencePair>();
        // Held-out pairs of every round so far: the same mix of policies as the labels the reward model trains on.
        var heldOutPairs = new List<PreferencePair>();
        var heldOutTexts = new List<(string, string)>();
        var heldOutSamples = new List<IReadOnlyList<SampledPrompt>>();  // every round's held-out answers, for the expected accuracy
        List<DpoExample>? roundOne = null;
        var current = baseFolder;
        long onlineSteps = 0;
        for (var round = 1; round <= rounds; round++)
        {
            clock.Restart();
            IReadOnlyList<SampledPrompt> sampled, evalSampled;
            var speed = new StageSpeed();
            using (var policy = CausalLM.FromPretrained(current))
            {
                var sampler = new PolicySampler(policy, tokenizer);
                var prompts = Enumerable.Range(0, config.PromptsPerRound).Select(i => training[((round - 1) * config.PromptsPerRound + i) % training.Count]).ToList();
                var sampling = Stopwatch.StartNew();
                sampled = sampler.Sample(prompts, config.ResponsesPerPrompt, config.Temperature, config.MaxNewTokens, (ulong)(seed * 100 + round));
                speed = speed with { SamplingTokensPerSecond = sampled.Sum(p => p.Responses.Sum(r => r.Tokens.Count)) / sampling.Elapsed.TotalSeconds };
                evalSampled = sampler.Sample(heldOut, EvalSamplesPerPrompt, config.Temperature, config.MaxNewTokens, (ulong)(seed * 100 + 50 + round));
            }

            var humanCount = (int)Math.Round(config.HumanShare * sampled.Count);
            var human = sampled.Take(humanCount).Select(Label).ToList();
            labels.AddRange(human);
            var (roundPairs, roundTexts) = HeldOutPairs(evalSampled);
            heldOutPairs.AddRange(roundPairs);
            heldOutTexts.AddRange(roundTexts);
            heldOutSamples.Add(evalSampled);
            List<PreferencePair> ranked;
            double rewardAccuracy, roundAccuracy;
            var (rewardModel, rewardResult) = OnlineRound.TrainRewardModel(baseFolder, labels, heldOutPairs, config.Reward);
            ExpectedAccuracies expected;
            using (rewardModel)
            {
                expected = Expected(rewardModel, heldOutSamples);
                if (ensembleProbe > 1)
                    log.WriteLine($"round {round}: {EnsembleProbe(rewardModel, baseFolder, labels, evalSampled)}");
                rewardAccuracy = rewardResult.Eval["eval_rewards/accuracies"];
                roundAccuracy = new RewardTrainer(rewardModel, config.Reward).Evaluate(roundPairs)["eval_rewards/accuracies"];
                var lastEpoch = rewardResult.History.TakeLast(rewardResult.History.Count / config.Reward.Epochs).ToList();
                log.WriteLine($"round {round}: reward model on {labels.Count} labels, last epoch's accuracy {lastEpoch.Average(s => s.Metrics["rewards/accuracies"]):P1}; " +
                    $"held-out {rewardAccuracy:P1} ± {HeldOutPredictions.StandardError(rewardAccuracy, heldOutPairs.Count):P1} (Bayes {labeller.BayesAccuracy(heldOutTexts):P1}), " +
                    $"on this round's pairs alone {roundAccuracy:P1} (Bayes {labeller.BayesAccuracy(roundTexts):P1}); expected on the same held-out pairs {expected.SamePairs:P1}, " +
                    $"on all {expected.AllPairs:N0} pairs of this round's held-out answers {expected.Current:P1} (Bayes {expected.CurrentBayes:P1}; " +
                    $"scored by its mean reward per length {expected.CurrentByLength:P1})");
                log.WriteLine($"round {round}: reward by words (words:answers:mean reward) {ByWords(rewardModel, evalSampled)}");
                var scoring = Stopwatch.StartNew();
                ranked = humanCount < sampled.Count
                    ? RewardRanker.BestVersusWorst(rewardModel, sampled.Skip(humanCount).ToList()).OfType<PreferencePair>().ToList()
                    : [];
                speed = speed with { ScoredSamplesPerSecond = (sampled.Count - humanCount) * config.ResponsesPerPrompt / scoring.Elapsed.TotalSeconds };
            }

            if (policiesFrom is not null)
            {
                // Reward-model tuning: the next round starts from the policy an earlier run of the same seed made, so
                // every setting is measured on the same samples and labels; no DPO, no win-rates.
                current = Path.Combine(policiesFrom, $"round-{round}");
                continue;
            }

            var pairs = human.Concat(ranked).Select(DpoExample.From).ToList();
            roundOne ??= pairs;
            var next = Path.Combine(workFolder, $"round-{round}");
            var dpoClock = Stopwatch.StartNew();
            onlineSteps += OnlineRound.TrainPolicy(current, next, pairs, config.Dpo).History.Count;
            // Tokens through the policy: each epoch runs every pair's chosen and rejected sequence (prompt included).
            var dpoTokens = (double)config.Dpo.Epochs * pairs.Sum(p => 2 * p.Prompt.Count + p.Chosen.Count + p.Rejected.Count);
            speed = speed with { DpoTokensPerSecond = dpoTokens / dpoClock.Elapsed.TotalSeconds };
            current = next;
            var answers = EvalAnswers(current, tokenizer, heldOut, seed: 2000 + round);
            var versusBase = referee.Judge(answers, baseAnswers);
            var lengths = answers.GroupBy(a => TargetWordsPreference.Words(a).Count()).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}");
            log.WriteLine($"round {round}: answers' words (words:count) {string.Join(' ', lengths)}; e.g. \"{answers[0]}\"");
            // Round one's online policy is exactly offline DPO on round one's pairs for round one's steps.
            var offline = round == 1 ? versusBase : Offline(baseFolder, tokenizer, heldOut, roundOne, round, baseAnswers);
            yield return new RoundReport(round, human.Count, ranked.Count, rewardAccuracy, labeller.BayesAccuracy(heldOutTexts), heldOutPairs.Count,
                roundAccuracy, labeller.BayesAccuracy(roundTexts), expected,
                versusBase, referee.ExpectedShare(answers, baseAnswers), offline, MeanWords(answers), onlineSteps, speed, clock.Elapsed);
        }
    }

    /// <summary>The reward model's accuracy with the annotator's noise averaged out (BradleyTerryJudge.ExpectedAccuracy):
    /// on the held-out pairs of every round so far (the pairs of the noisy "held-out" figure), and on every pair of this
    /// round's held-out answers, the policy's answers the round's reward model ranks, beside its Bayes limit.</summary>
    private ExpectedAccuracies Expected(RewardModel rewardModel, List<IReadOnlyList<SampledPrompt>> heldOutSamples)
    {
        var scores = heldOutSamples.Select(s => RewardRanker.Score(rewardModel, s)).ToList();
        var same = heldOutSamples.SelectMany((s, r) => HeldOutPredictions.Consecutive(s, scores[r])).ToList();
        var all = HeldOutPredictions.AllPairs(heldOutSamples[^1], scores[^1]).ToList();
        // The same reward model with each answer's score replaced by the mean score of its length in words: what is
        // left of its gap to the Bayes limit is the order of its length means; the rest is how much its scores of
        // same-length answers scatter with their words, which the annotator ignores.
        var byLength = HeldOutPredictions.ByLength(heldOutSamples[^1], scores[^1]);
        return new ExpectedAccuracies(labeller.ExpectedAccuracy(same), labeller.ExpectedAccuracy(all),
            labeller.BayesAccuracy(all.Select(p => (p.A, p.B))), all.Count,
            labeller.ExpectedAccuracy(HeldOutPredictions.AllPairs(heldOutSamples[^1], byLength)));
    }

    /// <summary>Tuning only: would averaging reward models trained with other seeds (init and batch order) remove the
    /// scatter of one model's scores? Expected accuracy on all pairs of this round's held-out answers of the mean score
    /// of the round's model and ensembleProbe − 1 more.</summary>
    private string EnsembleProbe(RewardModel first, string baseFolder, List<PreferencePair> labels, IReadOnlyList<SampledPrompt> evalSampled)
    {
        var sum = RewardRanker.Score(first, evalSampled).Select(a => a.ToArray()).ToList();
        var line = new List<string>();
        for (var k = 1; k < ensembleProbe; k++)
        {
            var (extra, _) = OnlineRound.TrainRewardModel(baseFolder, labels, null, config.Reward with { Seed = config.Reward.Seed + (ulong)(1000 * k) });
            using (extra)
            {
                var scores = RewardRanker.Score(extra, evalSampled);
                for (var i = 0; i < sum.Count; i++)
                    for (var j = 0; j < sum[i].Length; j++)
                        sum[i][j] += scores[i][j];
            }
            line.Add($"{k + 1} models {labeller.ExpectedAccuracy(HeldOutPredictions.AllPairs(evalSampled, sum)):P1}");
        }
        return "expected accuracy of the mean score of " + string.Join(", ", line);
    }

    /// <summary>The reward model's mean score of this round's held-out answers by their length in words: where it
    /// should peak (the annotator's 40) and whether it does.</summary>
    private static string ByWords(RewardModel rewardModel, IReadOnlyList<SampledPrompt> sampled)
    {
        var scores = RewardRanker.Score(rewardModel, sampled);
        return string.Join(' ', sampled.SelectMany((p, i) => p.Responses.Select((r, j) => (Words: TargetWordsPreference.Words(r.Text).Count(), Score: scores[i][j])))
            .GroupBy(x => x.Words).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}:{g.Average(x => x.Score):F2}"));
    }

    /// <summary>The annotator's noisy choice between the prompt's first two answers.</summary>
    private PreferencePair Label(SampledPrompt p) =>
        labeller.Prefers(p.Responses[0].Text, p.Responses[1].Text) ? p.Pair(0, 1) : p.Pair(1, 0);

    /// <summary>Held-out pairs of the policy's answers (consecutive answers to the same prompt, identical texts left
    /// out: nothing to predict), oriented by the annotator's noisy labels, with their texts for the Bayes accuracy.</summary>
    private (List<PreferencePair> Pairs, List<(string, string)> Texts) HeldOutPairs(IReadOnlyList<SampledPrompt> sampled)
    {
        var pairs = new List<PreferencePair>();
        var texts = new List<(string, string)>();
        foreach (var p in sampled)
            for (var j = 0; j + 1 < p.Responses.Count; j += 2)
            {
                var (a, b) = (p.Responses[j].Text, p.Responses[j + 1].Text);
                if (a == b) continue;
                texts.Add((a, b));
                pairs.Add(labeller.Prefers(a, b) ? p.Pair(j, j + 1) : p.Pair(j + 1, j));
            }
        return (pairs, texts);
    }

    /// <summary>DPO from the base on round one's pairs alone, for as many steps as the online rounds took up to
    /// <paramref name="round"/> (every round has as many pairs, so: round × the epochs of one).</summary>
    private WinRate Offline(string baseFolder, BpeTokenizer tokenizer, IReadOnlyList<string> heldOut, List<DpoExample> roundOne, int round, IReadOnlyList<string> baseAnswers)
    {
        var folder = Path.Combine(workFolder, $"offline-{round}");
        OnlineRound.TrainPolicy(baseFolder, folder, roundOne, config.Dpo with { Epochs = config.Dpo.Epochs * round });
        return referee.Judge(EvalAnswers(folder, tokenizer, heldOut, seed: 3000 + round), baseAnswers);
    }

    private List<string> EvalAnswers(string folder, BpeTokenizer tokenizer, IReadOnlyList<string> prompts, int seed)
    {
        using var policy = CausalLM.FromPretrained(folder);
        return new PolicySampler(policy, tokenizer).Sample(prompts, EvalSamplesPerPrompt, config.Temperature, config.MaxNewTokens, (ulong)seed)
            .SelectMany(p => p.Responses.Select(r => r.Text)).ToList();
    }

    private static TimeSpan Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed;
    }

    private static double MeanWords(IEnumerable<string> texts) => texts.Average(t => TargetWordsPreference.Words(t).Count());
}
