using static TorchSharp.torch;

namespace PreferenceStudio.Training.Spans;

/// <summary>
/// Examples as one batch: prompt + response right-padded to the longest (B, T), and the labels (B, T): each response
/// token's tag, <see cref="Ignore"/> at prompt and padding positions, so only response tokens count in the loss and
/// the metrics.
/// </summary>
public sealed record SpanBatch(Tensor InputIds, Tensor Labels)
{
    /// <summary>PyTorch's ignore_index: positions whose tag is not learned.</summary>
    public const long Ignore = -100;

    public static SpanBatch Collate(IReadOnlyList<SpanExample> examples, long padTokenId, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example", nameof(examples));
        var rows = examples.Count;
        var length = examples.Max(e => e.Length);
        var ids = new long[rows * length];
        var labels = new long[rows * length];
        Array.Fill(ids, padTokenId);
        Array.Fill(labels, Ignore);
        for (var r = 0; r < rows; r++)
        {
            var e = examples[r];
            var at = r * length;
            for (var i = 0; i < e.Prompt.Count; i++) ids[at + i] = e.Prompt[i];
            at += e.Prompt.Count;
            for (var i = 0; i < e.Response.Count; i++)
            {
                ids[at + i] = e.Response[i];
                labels[at + i] = e.Tags[i];
            }
        }
        return new SpanBatch(tensor(ids, [rows, length], device: device), tensor(labels, [rows, length], device: device));
    }
}
