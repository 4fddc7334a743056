using PreferenceStudio.Models;
using PreferenceStudio.Models.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests;

public class DpoBatchTests
{
    [Fact]
    public void Collate_TwoExamples_ChosenRowsThenRejectedRowsWithResponseOnlyMask()
    {
        using var scope = NewDisposeScope();
        var batch = DpoBatch.Collate(
        [
            new DpoExample([1, 2], [3], [4, 5, 6], Weight: 0.5),
            new DpoExample([7], [8, 9], [10]),
        ], padTokenId: 0);

        batch.Pairs.ShouldBe(2);
        batch.InputIds.shape.ShouldBe([4L, 5]);
        batch.InputIds.data<long>().ToArray().ShouldBe([1, 2, 3, 0, 0, /**/ 7, 8, 9, 0, 0, /**/ 1, 2, 4, 5, 6, /**/ 7, 10, 0, 0, 0]);
        // position t predicts token t + 1: true where that token is a response token
        batch.CompletionMask.shape.ShouldBe([4L, 4]);
        batch.CompletionMask.data<bool>().ToArray().ShouldBe(
        [
            false, true, false, false,   // 1 2 | 3
            true, true, false, false,    // 7 | 8 9
            false, true, true, true,     // 1 2 | 4 5 6
            true, false, false, false,   // 7 | 10
        ]);
        batch.CompletionTokens.data<float>().ToArray().ShouldBe([1f, 2, 3, 1]);
        batch.Weights.data<float>().ToArray().ShouldBe([0.5f, 1f]);
    }

    [Fact]
    public void Collate_EmptyPrompt_IsRefusedNamingTheExample()
    {
        Should.Throw<ArgumentException>(() => DpoBatch.Collate([new DpoExample([1], [2], [3]), new DpoExample([], [2], [3])], 0))
            .Message.ShouldContain("example 1");
    }

    [Fact]
    public void Sum_ValuesAtPromptAndPaddingPositions_ChangeNothing()
    {
        using var scope = NewDisposeScope();
        var batch = DpoBatch.Collate([new DpoExample([1, 2, 3], [4, 5], [6]), new DpoExample([1], [2, 3, 4, 5], [6, 7])], 0);
        manual_seed(0);
        var tokenLogProbs = -rand(batch.CompletionMask.shape);                      // (2B, T-1)
        var noise = (rand(batch.CompletionMask.shape) * 1000).masked_fill(batch.CompletionMask, 0);

        var clean = SequenceLogProbs.Sum(tokenLogProbs, batch.CompletionMask);
        var disturbed = SequenceLogProbs.Sum(tokenLogProbs + noise, batch.CompletionMask);
        var withNaN = SequenceLogProbs.Sum(tokenLogProbs.masked_fill(batch.CompletionMask.logical_not(), double.NaN), batch.CompletionMask);

        noise.abs().sum().item<float>().ShouldBeGreaterThan(100);   // the noise is really there, outside the responses
        disturbed.data<float>().ToArray().ShouldBe(clean.data<float>().ToArray());
        withNaN.data<float>().ToArray().ShouldBe(clean.data<float>().ToArray());
        // by hand: row 0 is 1 2 3 | 4 5, positions 2 and 3 predict 4 and 5
        var values = tokenLogProbs.data<float>().ToArray();
        var t = batch.CompletionMask.shape[1];
        clean.data<float>()[0].ShouldBe(values[2] + values[3], 1e-6f);
        clean.data<float>()[1].ShouldBe(values[t] + values[t + 1] + values[t + 2] + values[t + 3], 1e-6f);  // 1 | 2 3 4 5
    }

    [Fact]
    public void Of_ExampleCollatedBesideALongerOne_HasTheSameLogProbsAsAlone()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var model = new LlamaForCausalLM(TinyModels.Qwen2());
        model.eval();
        using var noGrad = no_grad();
        var example = new DpoExample([150, 151, 152], [11, 12], [21, 22, 23]);
        var longer = new DpoExample([160, 161, 162, 163, 164, 165], [30, 31, 32, 33, 34, 35, 36], [40]);

        var alone = SequenceLogProbs.Of(model, DpoBatch.Collate([example], 0)).data<float>().ToArray();               // c, r
        var padded = SequenceLogProbs.Of(model, DpoBatch.Collate([example, longer], 0)).data<float>().ToArray();       // c, c', r, r'
        var otherPad = SequenceLogProbs.Of(model, DpoBatch.Collate([example, longer], 299)).data<float>().ToArray();

        padded[0].ShouldBe(alone[0], 1e-4f);
        padded[2].ShouldBe(alone[1], 1e-4f);
        otherPad.ShouldBe(padded);                                                  // the pad id is never read
        alone[0].ShouldBeLessThan(0f);
        // and the prompt's own tokens are not in the sum: the full sequence's log-probability is lower still
        var all = model.TokenLogProbs(tensor(new long[] { 150, 151, 152, 11, 12 }, [1, 5])).sum().item<float>();
        all.ShouldBeLessThan(alone[0] - 0.1f);
    }
}
