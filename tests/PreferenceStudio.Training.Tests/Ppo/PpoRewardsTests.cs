using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Training.Tests.Ppo;

public class PpoRewardsTests
{
    private static readonly PpoSample[] Samples =
    [
        new(0, [1], [5, 6, 2], Stopped: true),
        new(1, [1], [7, 8], Stopped: false),
    ];

    /// <summary>Dense rewards as a span model gives them: at segment ends, 0 elsewhere.</summary>
    private static float[][] Dense(IReadOnlyList<PpoSample> samples) => [[-0.25f, 0, -0.5f], [0, -1]];

    [Fact]
    public void Mix_DenseAndAtEnd_GivesEachTokenTheWeightedSumOfTheParts()
    {
        var atEnd = PpoRewards.AtEnd(samples => samples.Select(s => s.PromptIndex == 0 ? 2.0 : -3.0).ToList());

        var mixed = PpoRewards.Mix((1.0, Dense), (0.5, atEnd))(Samples);

        // The scalar lands only on each response's last token, on top of the dense reward there.
        mixed[0].ShouldBe([-0.25f, 0f, -0.5f + 0.5f * 2], tolerance: 1e-6f);
        mixed[1].ShouldBe([0f, -1f + 0.5f * -3], tolerance: 1e-6f);
        var parts = (Dense: Dense(Samples), AtEnd: atEnd(Samples));
        for (var i = 0; i < Samples.Length; i++)
            for (var t = 0; t < Samples[i].Response.Length; t++)
                mixed[i][t].ShouldBe(parts.Dense[i][t] + 0.5f * parts.AtEnd[i][t], 1e-6f);
    }

    [Fact]
    public void Mix_PartWithTooFewScores_ThrowsNamingTheResponse()
    {
        PpoRewardFunction short_ = samples => [[0, 0, 0], [0]];

        Should.Throw<InvalidOperationException>(() => PpoRewards.Mix((1.0, Dense), (1.0, short_))(Samples))
            .Message.ShouldContain("response 1 1 scores for its 2 tokens");
    }

    [Fact]
    public void Mix_NoParts_Throws()
    {
        Should.Throw<ArgumentException>(() => PpoRewards.Mix()).ParamName.ShouldBe("parts");
    }
}
