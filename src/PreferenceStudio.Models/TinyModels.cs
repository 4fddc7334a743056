using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;

namespace PreferenceStudio.Models;

/// <summary>Configurations small enough to train in seconds on a CPU, for tests, examples and benchmarks.</summary>
public static class TinyModels
{
    /// <summary>A 2-layer GPT-2 (C = 64, 4 heads) without dropout.</summary>
    public static Gpt2Config Gpt2(long vocabSize = 320, long positions = 128) => new()
    {
        VocabSize = vocabSize, NPositions = positions, NEmbd = 64, NLayer = 2, NHead = 4,
        ResidPdrop = 0, EmbdPdrop = 0, AttnPdrop = 0, BosTokenId = vocabSize - 1, EosTokenId = vocabSize - 1,
    };

    /// <summary>A 2-layer Qwen2 (q, k, v biases) with grouped-query attention: 4 query heads share 2 key/value heads.</summary>
    public static LlamaConfig Qwen2(long vocabSize = 320, bool tied = true) => new()
    {
        ModelType = "qwen2", VocabSize = vocabSize, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2,
        NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 128, RopeTheta = 10000,
        TieWordEmbeddings = tied, BosTokenId = vocabSize - 1, EosTokenId = vocabSize - 1,
    };

    /// <summary>A 2-layer Llama, untied embeddings, GQA 4:2.</summary>
    public static LlamaConfig Llama(long vocabSize = 320) => Qwen2(vocabSize, tied: false) with { ModelType = "llama", RmsNormEps = 1e-5 };
}
