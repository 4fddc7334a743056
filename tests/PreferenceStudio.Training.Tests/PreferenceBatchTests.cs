using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests;

public class PreferenceBatchTests
{
    [Fact]
    public void Collate_TwoPairs_ChosenRowsThenRejectedRowsRightPadded()
    {
        using var scope = NewDisposeScope();
        var batch = PreferenceBatch.Collate(
        [
            new PreferencePair([1, 2], [3], [4, 5, 6], Margin: 2),
            new PreferencePair([7], [8, 9], [10]),
        ], padTokenId: 0);

        batch.Pairs.ShouldBe(2);
        batch.InputIds.shape.ShouldBe([4L, 5]);
        batch.InputIds.data<long>().ToArray().ShouldBe([1, 2, 3, 0, 0, /**/ 7, 8, 9, 0, 0, /**/ 1, 2, 4, 5, 6, /**/ 7, 10, 0, 0, 0]);
        batch.AttentionMask.data<long>().ToArray().ShouldBe([1, 1, 1, 0, 0, /**/ 1, 1, 1, 0, 0, /**/ 1, 1, 1, 1, 1, /**/ 1, 1, 0, 0, 0]);
        batch.Margins.data<float>().ToArray().ShouldBe([2f, 0f]);
    }
}
