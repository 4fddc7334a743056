// Throughput of a small GPT-2 on this machine: forward+backward tokens/s, a reward-model training step (the
// trainer's whole step: batch, forward, Bradley-Terry loss, backward, clipping, AdamW), a DPO training step (the
// DPO trainer's whole run divided by its steps: the one reference pass, then per step the chosen and rejected rows in
// one forward, masked log-prob sums, sigmoid loss, backward, clipping, AdamW) and generation tokens/s with
// and without the KV cache. Run: dotnet run -c Release --project bench/PreferenceStudio.Bench [-- --layers 4 --embd 256 ...]
// Each measure twice: with attention written out (matmul, mask, softmax, matmul) and with libtorch's
// scaled_dot_product_attention. bench/PreferenceStudio.Bench/reference.py measures the same model and batch in PyTorch.
using System.Diagnostics;
using System.Globalization;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Generation;
using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Training;
using TorchSharp;

var options = BenchOptions.Parse(args);
if (options.Threads > 0) torch.set_num_threads(options.Threads);

var config = new Gpt2Config
{
    VocabSize = options.Vocab, NPositions = 1024, NEmbd = options.Embd, NLayer = options.Layers, NHead = options.Heads,
    ResidPdrop = 0, EmbdPdrop = 0, AttnPdrop = 0,
};
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"GPT-2 L={config.NLayer} C={config.NEmbd} H={config.NHead} V={config.VocabSize}, TorchSharp {typeof(torch).Assembly.GetName().Version} (libtorch 2.10.0 CPU), {torch.get_num_threads()} threads"));

// Both attention implementations, measured in one sitting, one after the other.
var results = new[] { AttentionImplementation.Eager, AttentionImplementation.Sdpa }.ToDictionary(a => a, a => Measure(config with { Attention = a }, options));

Console.WriteLine();
Console.WriteLine("| measure | batch | attention written out, tokens/s | scaled_dot_product_attention, tokens/s |");
Console.WriteLine("| --- | --- | ---: | ---: |");
string[] names =
[
    $"forward+backward, T={options.Seq}", $"reward-model training step, T={options.Seq}",
    $"DPO training step (reference pass included), T={options.Seq}",
    $"generation with KV cache, prompt {options.Prompt}, {options.NewTokens} new", $"generation without KV cache, prompt {options.Prompt}, {options.NewTokens} new",
];
int[] batches = [options.Batch, options.Batch, options.Batch, options.GenBatch, options.GenBatch];
for (var i = 0; i < names.Length; i++)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {names[i]} | {batches[i]} | {results[AttentionImplementation.Eager][i]:F0} | {results[AttentionImplementation.Sdpa][i]:F0} |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nlive tensors after the run: {DisposeScopeManager.Statistics.ThreadTotalLiveCount}"));

// Tokens per second: forward + backward, the reward trainer's step, the DPO trainer's step, generation with and without the KV cache.
static double[] Measure(Gpt2Config config, BenchOptions options)
{
    torch.manual_seed(0);
    using var model = new Gpt2LMHeadModel(config);
    model.train();

    var trainTokens = (double)options.Batch * options.Seq;
    var trainSeconds = options.Training == 0 ? double.NaN : Time(options.Steps, () =>
    {
        using var scope = torch.NewDisposeScope();
        var ids = torch.randint(0, config.VocabSize, [options.Batch, options.Seq]);
        model.zero_grad();
        model.LanguageModelingLoss(ids).backward();
    });

    // reward model: batch/2 pairs a step, so the same batch × seq tokens go through the model as above
    var half = options.Seq / 2;
    long[] RandomTokens(Random random, int n) => Enumerable.Range(0, n).Select(_ => (long)random.Next((int)config.VocabSize)).ToArray();
    var pairRandom = new Random(0);
    var pairs = Enumerable.Range(0, options.Batch / 2 * options.Steps)
        .Select(_ => new PreferencePair(RandomTokens(pairRandom, half), RandomTokens(pairRandom, half), RandomTokens(pairRandom, half))).ToList();
    var rewardModel = RewardModel.OnTopOf(model);  // the backbone is disposed with `model`
    using var rewardHead = rewardModel.Head;
    var rewardTrainer = new RewardTrainer(rewardModel, new RewardConfig { BatchSize = options.Batch / 2, MaxLength = options.Seq });
    var rewardSeconds = options.Training == 0 ? double.NaN : Time(3, () => rewardTrainer.Train(pairs)) / options.Steps;

    // DPO: the same batch/2 pairs a step (prompt, chosen and rejected of seq/2 tokens each), against a frozen reference
    torch.manual_seed(1);
    using var reference = new Gpt2LMHeadModel(config);
    var examples = pairs.Select(p => DpoExample.From(p)).ToList();
    var dpoTrainer = new DpoTrainer(model, reference, new DpoConfig { BatchSize = options.Batch / 2, MaxLength = options.Seq });
    var dpoSeconds = Time(3, () => dpoTrainer.Train(examples)) / options.Steps;

    // generation: greedy, fixed length (no stop tokens)
    var prompts = Enumerable.Range(0, options.GenBatch).Select(i => Enumerable.Range(0, options.Prompt).Select(t => (long)((i * 31 + t * 7) % config.VocabSize)).ToArray()).ToList();
    var genTokens = (double)options.GenBatch * options.NewTokens;
    var cached = Time(options.GenRuns, () => Generator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = options.NewTokens, Temperature = 0 }));
    var uncached = Time(options.GenRuns, () => Generator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = options.NewTokens, Temperature = 0, UseCache = false }));
    return [trainTokens / trainSeconds, trainTokens / rewardSeconds, trainTokens / dpoSeconds, genTokens / cached, genTokens / uncached];
}

// Fastest of `runs` calls, after two warm-up calls: on a shared machine the fastest run is the one least disturbed.
static double Time(int runs, Action action)
{
    action();
    action();
    var seconds = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        seconds.Add(watch.Elapsed.TotalSeconds);
    }
    return seconds.Min();
}

internal sealed record BenchOptions(int Layers, int Embd, int Heads, int Vocab, int Batch, int Seq, int Steps,
    int GenBatch, int Prompt, int NewTokens, int GenRuns, int Threads, int Training)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["layers"] = 4, ["embd"] = 256, ["heads"] = 4, ["vocab"] = 8192, ["batch"] = 8, ["seq"] = 128, ["steps"] = 10,
            ["gen-batch"] = 4, ["prompt"] = 32, ["new-tokens"] = 64, ["gen-runs"] = 3, ["threads"] = 0,
            ["training"] = 1,  // 0: generation only
        };
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var key = args[i].TrimStart('-');
            if (!values.ContainsKey(key)) throw new ArgumentException($"unknown option {args[i]} (known: {string.Join(", ", values.Keys)})");
            values[key] = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }
        return new BenchOptions(values["layers"], values["embd"], values["heads"], values["vocab"], values["batch"], values["seq"],
            values["steps"], values["gen-batch"], values["prompt"], values["new-tokens"], values["gen-runs"], values["threads"], values["training"]);
    }
}
