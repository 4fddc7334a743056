// The PPO demo of issue 13: Fine-Grained RLHF's comparison at our scale. Rounds of PPO from the error demo policy with
// (a) a scalar reward model trained on the simulated annotator's preferences (fewer errors is better) and (b) a span
// reward model trained on its span marks, the same number of answers annotated per round, (c) both, their rewards
// mixed, next to online DPO on the same number of preferences; per round and arm, the share of held-out answers
// holding each category of error, and the PPO stages' speeds.
// Run: dotnet run -c Release --project bench/PreferenceStudio.PpoDemo [-- --rounds 3 --seed 0 --work folder]
// (--threads 1; tuning: --prompts, --batches, --ppo-lr, --kl, --epochs, --eval, --mix-span, --mix-scalar)
using System.Diagnostics;
using System.Globalization;
using PreferenceStudio.Annotating.Simulation;
using PreferenceStudio.PpoDemo;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
// One libtorch thread, as the loop demo: the tiny model's 64-wide matrices gain little from a second.
TorchSharp.torch.set_num_threads(IntArg("--threads", 1));
var rounds = IntArg("--rounds", 3);
var seed = IntArg("--seed", 0);
var work = Arg("--work") ?? Path.Combine(Path.GetTempPath(), "ps-ppo-demo-" + Guid.NewGuid().ToString("N"));
var defaults = new PpoDemoConfig();
var config = defaults with
{
    PromptsPerRound = IntArg("--prompts", defaults.PromptsPerRound),
    RolloutBatches = IntArg("--batches", defaults.RolloutBatches),
    EvalSamplesPerPrompt = IntArg("--eval", defaults.EvalSamplesPerPrompt),
    MixSpanWeight = DoubleArg("--mix-span", defaults.MixSpanWeight),
    MixScalarWeight = DoubleArg("--mix-scalar", defaults.MixScalarWeight),
    Ppo = defaults.Ppo with
    {
        LearningRate = DoubleArg("--ppo-lr", defaults.Ppo.LearningRate), KlCoef = DoubleArg("--kl", defaults.Ppo.KlCoef),
        NumPpoEpochs = IntArg("--epochs", defaults.Ppo.NumPpoEpochs),
    },
};
var categories = DemoErrors.Taxonomy.CategoryNames;
Console.WriteLine($"PPO with sparse vs fine-grained rewards, {rounds} rounds, seed {seed}; annotator: {DemoErrors.Judge(seed).Preference.Description}, " +
    $"Bradley–Terry T {DemoErrors.Temperature}; spans missed {DemoErrors.MissRate:P0}, false marks {DemoErrors.FalseMarkRate:P1} of words");
Console.WriteLine($"{config.PromptsPerRound} prompts × 2 answers annotated per arm and round; PPO: {config.RolloutBatches} rollouts of {config.Ppo.BatchSize}, " +
    $"lr {config.Ppo.LearningRate}, β {config.Ppo.KlCoef}, {config.Ppo.NumPpoEpochs} epochs; mix {config.MixSpanWeight} × spans + {config.MixScalarWeight} × scalar; work folder {work}");
var clock = Stopwatch.StartNew();
var runner = new PpoDemoRunner(config, work, seed, Console.Out);
var results = runner.Run(rounds).SelectMany(r => r).ToList();

Console.WriteLine();
Console.WriteLine($"Share of held-out answers with at least one error of each category ({config.EvalSamplesPerPrompt} answers to each of 16 held-out prompts):");
Console.WriteLine();
Console.WriteLine($"| round | arm | {string.Join(" | ", categories)} | words/answer | reward model, held-out | KL to the base |");
Console.WriteLine($"| ---: | --- | {string.Join(" | ", categories.Select(_ => "---:"))} | ---: | --- | ---: |");
Console.WriteLine($"| 0 | base | {string.Join(" | ", categories.Select(runner.Base!.Show))} | {runner.Base.MeanWords:F1} | | |");
foreach (var r in results)
    Console.WriteLine($"| {r.Round} | {r.Arm} | {string.Join(" | ", categories.Select(r.Errors.Show))} | {r.Errors.MeanWords:F1} | {r.RewardQuality} | " +
        (double.IsNaN(r.Kl) ? "" : r.Kl.ToString("F2")) + " |");
Console.WriteLine();
Console.WriteLine("| round | scalar PPO: rollout, tokens/s | scalar PPO: training, tokens/s | span PPO: rollout, tokens/s | span PPO: training, tokens/s | mixed PPO: rollout, tokens/s | mixed PPO: training, tokens/s | DPO, tokens/s |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var round in results.GroupBy(r => r.Round))
{
    var arm = round.ToDictionary(r => r.Arm);
    var ppo = new[] { PpoDemoRunner.Scalar, PpoDemoRunner.Spans, PpoDemoRunner.Mixed }.Select(a => arm[a]);
    Console.WriteLine($"| {round.Key} | {string.Join(" | ", ppo.Select(r => $"{r.RolloutTokensPerSecond:N0} | {r.TrainingTokensPerSecond:N0}"))} | {arm[PpoDemoRunner.Dpo].TrainingTokensPerSecond:N0} |");
}
Console.WriteLine($"\n{clock.Elapsed.TotalSeconds:F0} s in all, {Environment.ProcessorCount} cores, {TorchSharp.torch.get_num_threads()} libtorch threads");

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int IntArg(string name, int fallback) => Arg(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

double DoubleArg(string name, double fallback) => Arg(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
