namespace PreferenceStudio.Torch.NN;

/// <summary>A lookup table of <c>numEmbeddings</c> vectors, as torch.nn.Embedding.</summary>
public sealed class Embedding : Module
{
    public Embedding(long numEmbeddings, long embeddingDim, Device? device = null, ScalarType dtype = ScalarType.Float32, double initStd = 1.0)
    {
        Weight = RegisterParameter("weight", Tensor.Empty([numEmbeddings, embeddingDim], dtype, device).Normal_(0, initStd));
    }

    public Tensor Weight { get; }

    // (...) int64 -> (..., C)
    public Tensor Forward(Tensor indices) => Functional.Embedding(indices, Weight);
}
