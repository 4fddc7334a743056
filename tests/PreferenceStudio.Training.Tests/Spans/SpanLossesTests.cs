using PreferenceStudio.Training.Spans;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Spans;

public class SpanLossesTests
{
    [Fact]
    public void TokenCrossEntropy_NoiseAtIgnoredPositions_ChangesNothing()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var logits = randn(2, 5, 3);
        // Row 0: prompt (2), response (3); row 1: prompt (1), response (2), padding (2).
        var labels = tensor(new long[] { -100, -100, 0, 2, 1, -100, 1, 0, -100, -100 }, [2, 5]);
        var noise = randn(2, 5, 3) * 100 * labels.eq(SpanBatch.Ignore).unsqueeze(-1);

        var clean = SpanLosses.TokenCrossEntropy(logits, labels).item<float>();
        var noisy = SpanLosses.TokenCrossEntropy(logits + noise, labels).item<float>();

        noisy.ShouldBe(clean);
        // And the loss is the mean of −log softmax at the five response tokens, by hand.
        var logp = logits.log_softmax(-1);
        var byHand = -(logp[0, 2, 0] + logp[0, 3, 2] + logp[0, 4, 1] + logp[1, 1, 1] + logp[1, 2, 0]).item<float>() / 5;
        clean.ShouldBe(byHand, 1e-5);
    }

    [Fact]
    public void TokenCrossEntropy_ClassWeights_GiveTheWeightedMean()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 2, 0, 0, 0, 1, 0 }, [1, 2, 3]);
        var labels = tensor(new long[] { 0, 1 }, [1, 2]);
        var weights = tensor(new float[] { 1, 4, 4 });

        var loss = SpanLosses.TokenCrossEntropy(logits, labels, weights).item<float>();

        var logp = logits.log_softmax(-1);
        var byHand = -(1 * logp[0, 0, 0] + 4 * logp[0, 1, 1]).item<float>() / (1 + 4);
        loss.ShouldBe(byHand, 1e-5);
    }

    [Fact]
    public void Collate_RightPadsAndIgnoresPromptAndPadding()
    {
        using var scope = NewDisposeScope();
        var batch = SpanBatch.Collate([new SpanExample([5, 6], [7, 8], [0, 2]), new SpanExample([9], [10, 11, 12], [1, 0, 0])], padTokenId: 0);

        batch.InputIds.data<long>().ToArray().ShouldBe([5L, 6, 7, 8, 9, 10, 11, 12]);
        batch.Labels.data<long>().ToArray().ShouldBe([-100L, -100, 0, 2, -100, 1, 0, 0]);
        var padded = SpanBatch.Collate([new SpanExample([5], [7], [1]), new SpanExample([9], [10, 11, 12], [1, 0, 2])], padTokenId: 0);
        padded.Labels.data<long>().ToArray().ShouldBe([-100L, 1, -100, -100, -100, 1, 0, 2]);
    }
}
