using PreferenceStudio.Models.Llama;
using PreferenceStudio.Models.Optim;
using PreferenceStudio.Models.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Models;

/// <summary>
/// The demo's base policy: TinyCheckpoints' tiny Qwen2 (2 layers, 64 wide) pretrained on a generated ChatML corpus:
/// a user asks about a subject ("Tell me about the cat.") and the assistant answers with 1 to 8 sentences about it,
/// the count drawn uniformly, every sentence exactly <see cref="WordsPerSentence"/> words ("The cat reads the book.").
/// Its samples therefore spread evenly from 5 to 40 words, which is the axis the demo's simulated annotator judges
/// (DemoTaste: about 35 words); a whole number of words per sentence makes the length a sentence count, which the
/// tiny reward model learns from a few hundred labels and DPO moves through one decision per sentence (stop or go on).
/// The same seed gives the same model.
/// </summary>
public static class DemoPolicy
{
    public const int MinSentences = 1;
    public const int MaxSentences = 8;
    public const int WordsPerSentence = 5;

    /// <summary>AdamW steps of pretraining, 16 conversations each. Measured with seed 3, sampling 128 answers at
    /// temperature 1: after 300 steps 100 of them were whole 5-word sentences, after 600 steps 114 (the rest are slips
    /// such as "The cat opens finds good code."). 600 steps took 34 s on one thread here (load average 8).</summary>
    public const int DefaultTrainSteps = 600;

    internal static readonly string[] Subjects =
    [
        "the cat", "a dog", "my friend", "the model", "our team", "the robot", "the teacher", "a bird",
        "the child", "the farmer", "a student", "the doctor", "my sister", "the pilot", "a baker", "the king",
    ];
    internal static readonly string[] Verbs = ["likes", "reads", "writes", "sees", "helps", "finds", "opens", "wants"];
    internal static readonly string[] Objects = ["the book", "a question", "good code", "the answer", "the sky", "a song", "the garden", "some bread", "the door", "a letter"];
    internal static readonly string[] Questions = ["Tell me about {0}.", "What does {0} do?", "Describe {0}.", "Say something about {0}."];

    /// <summary>Every prompt of the corpus (16 subjects × 4 questions), in a fixed order: the round runner draws its
    /// training and held-out prompts from these.</summary>
    public static IReadOnlyList<string> Prompts { get; } =
        Subjects.SelectMany(subject => Questions.Select(question => string.Format(System.Globalization.CultureInfo.InvariantCulture, question, subject))).ToList();

    /// <summary>One conversation of the corpus: a prompt and an answer of 1 to 8 sentences about its subject.</summary>
    public static (string Prompt, string Response) Conversation(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var subject = Subjects[random.Next(Subjects.Length)];
        var prompt = string.Format(System.Globalization.CultureInfo.InvariantCulture, Questions[random.Next(Questions.Length)], subject);
        var sentences = random.Next(MinSentences, MaxSentences + 1);
        var capitalized = char.ToUpperInvariant(subject[0]) + subject[1..];
        var response = string.Join(' ', Enumerable.Range(0, sentences)
            .Select(_ => $"{capitalized} {Verbs[random.Next(Verbs.Length)]} {Objects[random.Next(Objects.Length)]}."));
        return (prompt, response);
    }

    /// <summary>The prompt as the policy reads it: one user turn in ChatML, then the assistant's turn opened.</summary>
    public static string ChatPrompt(string prompt) => ChatML.Format([new ChatMessage("user", prompt)]);

    /// <summary>Writes the checkpoint folder (Hugging Face layout, ChatML template, eos = &lt;|im_end|&gt;); returns it.</summary>
    public static string Create(string folder, int trainSteps = DefaultTrainSteps, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trainSteps);
        Directory.CreateDirectory(folder);
        var random = new Random((int)seed);
        var corpus = Enumerable.Range(0, 2000).Select(_ => Conversation(random)).ToList();
        // The tokenizer learns whole words (" cat", " reads") and the roles, so a sentence is about six tokens and
        // the longest conversation fits the tiny model's 128 positions with room to spare.
        var tokenizerJson = BpeTrainer.TrainTokenizerJson(
            corpus.Take(400).SelectMany(c => new[] { c.Prompt, c.Response }).Append("user assistant"), merges: 150, TinyCheckpoints.SpecialTokens);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizerJson);
        var tokenizer = BpeTokenizer.FromJson(tokenizerJson);
        var eos = tokenizer.TokenToId(ChatML.End)!.Value;

        manual_seed((long)seed);
        using var model = new LlamaForCausalLM(TinyModels.Qwen2(tokenizer.VocabSize) with { BosTokenId = eos, EosTokenId = eos });
        var examples = corpus.Select(c => (Prompt: tokenizer.Encode(ChatPrompt(c.Prompt)), Response: tokenizer.Encode(c.Response + ChatML.End))).ToList();
        Train(model, examples, trainSteps, random);
        model.SavePretrained(folder);
        TinyCheckpoints.WriteTokenizerConfig(folder, tokenizer, eos, "Qwen2Tokenizer");
        return folder;
    }

    /// <summary>Next-token loss on the responses only (the prompts are given, not learned), whole conversations per
    /// row, right-padded: padding comes after every real token, so causal attention never sees it.</summary>
    internal static void Train(CausalLM model, List<(long[] Prompt, long[] Response)> examples, int steps, Random random)
    {
        const int batch = 16;
        const double learningRate = 3e-3;
        using var optimizer = optim.AdamW(model.parameters(), lr: learningRate, weight_decay: 0.01);
        var schedule = new WarmupCosineSchedule(learningRate, Math.Min(20, steps / 10 + 1), steps, learningRate / 10).ToLambdaLR(optimizer);
        model.train();
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(0, batch).Select(_ => examples[random.Next(examples.Count)]).ToList();
            var width = rows.Max(r => r.Prompt.Length + r.Response.Length);
            var ids = new long[batch * width];
            var labels = Enumerable.Repeat(-100L, batch * width).ToArray();
            for (var b = 0; b < batch; b++)
            {
                var (prompt, response) = rows[b];
                prompt.CopyTo(ids, b * width);
                response.CopyTo(ids, b * width + prompt.Length);
                response.CopyTo(labels, b * width + prompt.Length);
            }
            var loss = model.LanguageModelingLoss(tensor(ids, [batch, width], device: model.Device), tensor(labels, [batch, width], device: model.Device));
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
            schedule.step();
        }
        model.eval();
    }
}
