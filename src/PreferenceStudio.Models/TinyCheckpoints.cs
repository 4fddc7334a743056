using System.Text.Json.Nodes;
using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Models.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Models;

/// <summary>
/// Makes small checkpoints in exactly the Hugging Face layout (config.json, model.safetensors, tokenizer.json,
/// tokenizer_config.json, generation_config.json), random or briefly trained on a generated corpus, because no model
/// can be downloaded on these machines. Every path a real checkpoint takes is then exercised by tests.
/// </summary>
public static class TinyCheckpoints
{
    public static readonly string[] SpecialTokens = ["<|endoftext|>", ChatML.Start, ChatML.End];

    private static readonly string[] Subjects = ["the cat", "a dog", "my friend", "the model", "our team", "the robot"];
    private static readonly string[] Verbs = ["likes", "reads", "writes", "sees", "helps", "answers"];
    private static readonly string[] Objects = ["the book", "a question", "good code", "the answer", "a small poem", "the sky"];

    /// <summary>Simple English sentences, the same for the same seed.</summary>
    public static IReadOnlyList<string> Corpus(int lines = 300, int seed = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, lines)
            .Select(_ => $"{Subjects[random.Next(Subjects.Length)]} {Verbs[random.Next(Verbs.Length)]} {Objects[random.Next(Objects.Length)]}.")
            .ToList();
    }

    /// <summary>
    /// Writes a checkpoint folder. <paramref name="architecture"/>: "gpt2", "llama" or "qwen2".
    /// With <paramref name="trainSteps"/> &gt; 0 the model first learns the corpus for that many AdamW steps.
    /// Returns the folder.
    /// </summary>
    public static string Create(string folder, string architecture = "qwen2", int trainSteps = 0, ulong seed = 0)
    {
        Directory.CreateDirectory(folder);
        var corpus = Corpus(seed: (int)seed);
        var tokenizerJson = BpeTrainer.TrainTokenizerJson(corpus, merges: 61, SpecialTokens);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizerJson);
        var tokenizer = BpeTokenizer.FromJson(tokenizerJson);
        var vocab = tokenizer.VocabSize;
        var eos = tokenizer.TokenToId(architecture == "gpt2" ? "<|endoftext|>" : ChatML.End)!.Value;

        manual_seed((long)seed);
        using CausalLM model = architecture switch
        {
            "gpt2" => new Gpt2LMHeadModel(TinyModels.Gpt2(vocab) with { BosTokenId = eos, EosTokenId = eos }),
            "qwen2" => new LlamaForCausalLM(TinyModels.Qwen2(vocab) with { BosTokenId = eos, EosTokenId = eos }),
            "llama" => new LlamaForCausalLM(TinyModels.Llama(vocab) with { BosTokenId = eos, EosTokenId = eos }),
            _ => throw new ArgumentException($"unknown architecture '{architecture}' (gpt2, llama, qwen2)", nameof(architecture)),
        };
        if (trainSteps > 0) Train(model, corpus.Select(line => tokenizer.Encode(line + "<|endoftext|>")).SelectMany(x => x).ToArray(), trainSteps, (int)seed);
        model.SavePretrained(folder);
        WriteTokenizerConfig(folder, tokenizer, eos, architecture == "gpt2" ? "GPT2Tokenizer" : "Qwen2Tokenizer");
        return folder;
    }

    /// <summary>tokenizer_config.json (with the ChatML chat template) and generation_config.json, as Hugging Face
    /// writes them, for a folder that already holds tokenizer.json and the weights.</summary>
    internal static void WriteTokenizerConfig(string folder, BpeTokenizer tokenizer, long eos, string tokenizerClass)
    {
        var tokenizerConfig = new JsonObject
        {
            ["tokenizer_class"] = tokenizerClass,
            ["eos_token"] = tokenizer.IdToToken(eos),
            ["pad_token"] = "<|endoftext|>",
            ["model_max_length"] = 128,
            ["chat_template"] = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), tokenizerConfig.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "generation_config.json"),
            new JsonObject { ["bos_token_id"] = eos, ["eos_token_id"] = eos }.ToJsonString());
    }

    private static void Train(CausalLM model, long[] stream, int steps, int seed)
    {
        const int batch = 8, window = 32;
        var random = new Random(seed);
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3, weight_decay: 0.01);
        var schedule = new WarmupCosineSchedule(3e-3, Math.Min(20, steps / 10 + 1), steps, 3e-4).ToLambdaLR(optimizer);
        model.train();
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var data = new long[batch * window];
            for (var b = 0; b < batch; b++)
                Array.Copy(stream, random.Next(stream.Length - window), data, b * window, window);
            var loss = model.LanguageModelingLoss(tensor(data, [batch, window], device: model.Device));
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
            schedule.step();
        }
        model.eval();
    }
}
