// The loop demo of issue 12: N rounds of online iterative DPO on this CPU with the demo's simulated annotator
// (DemoTaste), printed as a table: per round, the reward model's held-out accuracy next to the Bayes limit of the
// annotator's noise, and the policy's win-rate against the base with its 95 % Wilson interval, beside offline DPO on
// round one's pairs alone for the same steps.
// Run: dotnet run -c Release --project bench/PreferenceStudio.LoopDemo [-- --rounds 3 --seed 0 --work folder]
// (--threads 1; tuning: --k, --prompts, --human-share, --temperature, --rm-lr, --rm-epochs, --rm-batch, --rm-seed, --beta,
// --dpo-lr, --dpo-epochs, --rpo; reward-model probes: --policies-from folder trains only the reward models, on the
// policies an earlier run of the same seed wrote there, so every setting sees the same samples and labels;
// --ensemble-probe n also prints the expected accuracy of the mean score of n reward models of different seeds)
using System.Diagnostics;
using System.Globalization;
using PreferenceStudio.Annotating.Simulation;
using PreferenceStudio.LoopDemo;
using PreferenceStudio.Training.Online;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
// One libtorch thread by default: the tiny model's 64-wide matrices gain little from a second, and on a busy machine
// libtorch's threads spin-wait for each other (the base's pretraining took 187 s on 2 threads, 49 s on 1, load ~10).
TorchSharp.torch.set_num_threads(IntArg("--threads", 1));
var rounds = IntArg("--rounds", 3);
var seed = IntArg("--seed", 0);
var work = Arg("--work") ?? Path.Combine(Path.GetTempPath(), "ps-loop-demo-" + Guid.NewGuid().ToString("N"));
// Overrides, for tuning: every default is OnlineRoundConfig's.
var defaults = new OnlineRoundConfig();
var config = defaults with
{
    ResponsesPerPrompt = IntArg("--k", defaults.ResponsesPerPrompt),
    PromptsPerRound = IntArg("--prompts", defaults.PromptsPerRound),
    HumanShare = DoubleArg("--human-share", defaults.HumanShare),
    Temperature = DoubleArg("--temperature", defaults.Temperature),
    Reward = defaults.Reward with
    {
        LearningRate = DoubleArg("--rm-lr", defaults.Reward.LearningRate), Epochs = IntArg("--rm-epochs", defaults.Reward.Epochs),
        BatchSize = IntArg("--rm-batch", defaults.Reward.BatchSize),
        Seed = (ulong)IntArg("--rm-seed", (int)defaults.Reward.Seed),
    },
    Dpo = defaults.Dpo with
    {
        Beta = DoubleArg("--beta", defaults.Dpo.Beta), LearningRate = DoubleArg("--dpo-lr", defaults.Dpo.LearningRate),
        Epochs = IntArg("--dpo-epochs", defaults.Dpo.Epochs),
        RpoAlpha = Arg("--rpo") is { } rpo ? double.Parse(rpo, CultureInfo.InvariantCulture) : defaults.Dpo.RpoAlpha,
    },
};

Console.WriteLine($"online iterative DPO, {rounds} rounds, seed {seed}; annotator: {DemoTaste.Preference.Description}, Bradley–Terry T {DemoTaste.Temperature}");
Console.WriteLine($"K {config.ResponsesPerPrompt}, {config.PromptsPerRound} prompts a round, human share {config.HumanShare}; " +
    $"reward: lr {config.Reward.LearningRate}, {config.Reward.Epochs} epochs, batch {config.Reward.BatchSize}; DPO: beta {config.Dpo.Beta}, lr {config.Dpo.LearningRate}, {config.Dpo.Epochs} epochs; work folder {work}");
var clock = Stopwatch.StartNew();
var reports = new List<RoundReport>();
foreach (var report in new LoopDemoRunner(config, work, seed, Console.Out, Arg("--policies-from"), IntArg("--ensemble-probe", 1)).Run(rounds))
{
    reports.Add(report);
    Console.WriteLine($"round {report.Round} done in {report.Took.TotalSeconds:F0} s: answers {report.MeanWords:F1} words on average, " +
        $"expected win-rate vs base {report.ExpectedVersusBase:P1}");
}

Console.WriteLine();
Console.WriteLine("| round | pairs (human / RM) | RM held-out accuracy ± SE, noisy labels | Bayes limit | same pairs, expected | this round's answers: RM expected / Bayes (pairs) | win-rate vs base [95 % CI] | offline DPO, round one's pairs, same steps |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var r in reports)
    Console.WriteLine($"| {r.Round} | {r.HumanPairs} / {r.RewardModelPairs} | {r.RewardAccuracy:P1} ± {HeldOutPredictions.StandardError(r.RewardAccuracy, r.HeldOutPairs):P1} ({r.HeldOutPairs} pairs) | {r.BayesAccuracy:P1} | " +
        $"{r.Expected.SamePairs:P1} | {r.Expected.Current:P1} / {r.Expected.CurrentBayes:P1} ({r.Expected.AllPairs:N0}) | {Show(r.VersusBase)} | {Show(r.OfflineVersusBase)} |");
Console.WriteLine();
Console.WriteLine("| round | sampling, tokens/s | reward model scoring, samples/s | DPO (reference pass included), tokens/s |");
Console.WriteLine("| ---: | ---: | ---: | ---: |");
foreach (var r in reports)
    Console.WriteLine($"| {r.Round} | {r.Speed.SamplingTokensPerSecond:N0} | {r.Speed.ScoredSamplesPerSecond:N0} | {r.Speed.DpoTokensPerSecond:N0} |");
Console.WriteLine($"\n{clock.Elapsed.TotalSeconds:F0} s in all, {Environment.ProcessorCount} cores, {TorchSharp.torch.get_num_threads()} libtorch threads");

static string Show(WinRate w)
{
    var (low, high) = w.Interval();
    return $"{w.Share:P1} [{low:P1}, {high:P1}] of {w.Judged}";
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int IntArg(string name, int fallback) => Arg(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

double DoubleArg(string name, double fallback) => Arg(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
