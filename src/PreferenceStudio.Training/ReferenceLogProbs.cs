using PreferenceStudio.Models.Checkpoints;
using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>
/// log π_ref of every example's chosen and rejected response (summed over the response's tokens), computed once
/// before training with the frozen reference, in the order of the examples. Stored in each checkpoint, so a
/// resumed run neither needs the reference model nor recomputes them.
/// </summary>
public sealed record ReferenceLogProbs(float[] Chosen, float[] Rejected)
{
    public const string FileName = "reference_logps.safetensors";

    public int Count => Chosen.Length;

    /// <summary>The values of the examples at <paramref name="indices"/>, as two (B) tensors.</summary>
    public (Tensor Chosen, Tensor Rejected) Take(IReadOnlyList<int> indices, Device device)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return (tensor(indices.Select(i => Chosen[i]).ToArray(), device: device),
                tensor(indices.Select(i => Rejected[i]).ToArray(), device: device));
    }

    public void Save(string folder)
    {
        using var scope = NewDisposeScope();
        SafeTensors.Save(Path.Combine(folder, FileName), new Dictionary<string, Tensor>
        {
            ["chosen"] = tensor(Chosen),
            ["rejected"] = tensor(Rejected),
        });
    }

    public static ReferenceLogProbs Load(string folder)
    {
        var tensors = SafeTensors.Load(Path.Combine(folder, FileName));
        try
        {
            return new ReferenceLogProbs(tensors["chosen"].data<float>().ToArray(), tensors["rejected"].data<float>().ToArray());
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
