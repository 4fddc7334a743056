using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Training.Tests.Spans;

public class SpanSegmentsTests
{
    [Fact]
    public void Rewards_FixedErrorMass_MinusTheWeightedMassOfEachSegmentAtItsEnd()
    {
        // Five tokens, two categories (weights 1 and 0.5), segments [0, 1] and [2, 4].
        float[][] mass = [[0.1f, 0.2f], [0.5f, 0f], [0f, 0f], [0.3f, 0.4f], [0f, 1f]];

        var rewards = SpanSegments.Rewards(mass, [1, 4], [1.0, 0.5]);

        // Segment 1: (0.1 + 0.5)·1 + (0.2 + 0)·0.5 = 0.7. Segment 2: (0 + 0.3 + 0)·1 + (0 + 0.4 + 1)·0.5 = 1.0.
        rewards.Length.ShouldBe(5);
        rewards[0].ShouldBe(0f);
        rewards[1].ShouldBe(-0.7f, 1e-6f);
        rewards[2].ShouldBe(0f);
        rewards[3].ShouldBe(0f);
        rewards[4].ShouldBe(-1.0f, 1e-6f);
    }

    [Fact]
    public void Ends_SentenceEndsAndTheLastToken()
    {
        // Token texts by id: 1 "the", 2 " cat", 3 ".", 4 " dog", 5 "!\n", 6 " ok"
        var text = new Dictionary<long, string> { [1] = "the", [2] = " cat", [3] = ".", [4] = " dog", [5] = "!\n", [6] = " ok" };

        SpanSegments.Ends([1, 2, 3, 4, 5, 6], null, id => text[id]).ShouldBe([2, 4, 5]);
        SpanSegments.Ends([1, 2, 3], null, id => text[id]).ShouldBe([2]);
        SpanSegments.Ends([1, 2, 3, 4, 5, 6, 1], 3, id => text[id]).ShouldBe([2, 5, 6]);
        SpanSegments.Ends([], 3, id => text[id]).ShouldBeEmpty();
    }

    [Fact]
    public void WeightsFor_UnknownCategoryOrNegativeWeight_IsRefusedNamingIt()
    {
        new SegmentRewardConfig { CategoryWeights = new Dictionary<string, double> { ["style"] = 0.25 } }
            .WeightsFor(["factual", "style"]).ShouldBe([1.0, 0.25]);

        var error = Should.Throw<ArgumentException>(() => new SegmentRewardConfig
        {
            CategoryWeights = new Dictionary<string, double> { ["tone"] = 1, ["style"] = -1 }, SegmentLength = 0,
        }.WeightsFor(["factual", "style"]));

        error.Message.ShouldContain("category_weights names 'tone', which is not a category of the model (factual, style)");
        error.Message.ShouldContain("category_weights['style'] must be finite and not negative, got -1");
        error.Message.ShouldContain("segment_length must be at least 1 token, got 0");
    }
}
