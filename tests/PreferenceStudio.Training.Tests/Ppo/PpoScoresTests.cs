using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Training.Tests.Ppo;

public class PpoScoresTests
{
    private static readonly PpoSample[] Samples =
    [
        new(0, [1], [5, 6, 2], Stopped: true),
        new(1, [1], [7, 8], Stopped: false),
    ];

    private static float[][] Raw() => [[0.5f, 0, 3], [0, -1]];

    [Fact]
    public void Shape_Defaults_LeaveTheScoresAsTheyAre()
    {
        var raw = Raw();

        var shaped = PpoScores.Shape(new PpoConfig(), Samples, raw, new RunningMoments());

        shaped.ShouldBe(Raw());
        shaped.ShouldNotBeSameAs(raw);
    }

    [Fact]
    public void Shape_MissingEosPenaltyThenClip_PenalisesOnlyTheUnfinishedResponseAtItsLastToken()
    {
        var config = new PpoConfig { StopTokenId = 2, MissingEosPenalty = 1.5, ScoreClip = 2 };
        var raw = Raw();

        var shaped = PpoScores.Shape(config, Samples, raw, new RunningMoments());

        shaped[0].ShouldBe([0.5f, 0, 2]);                       // 3 clipped to 2
        shaped[1].ShouldBe([0, -2]);                            // −1 − 1.5 = −2.5, clipped to −2
        raw.ShouldBe(Raw());                                    // the reward's own scores are untouched
    }

    [Fact]
    public void Shape_ScoreScalingAndNorm_UseTheRunningMomentsOfTheTotalsIncludingThisBatch()
    {
        var config = new PpoConfig { UseScoreScaling = true, UseScoreNorm = true };
        var moments = new RunningMoments();
        moments.Update([4.0, 0.0]);                             // an earlier batch's totals

        var shaped = PpoScores.Shape(config, Samples, Raw(), moments);

        // Totals so far: 4, 0, 3.5, −1: mean 1.625, unbiased sd √(Σ(x − 1.625)² / 3).
        double[] all = [4, 0, 3.5, -1];
        var sd = Math.Sqrt(all.Sum(x => (x - 1.625) * (x - 1.625)) / 3);
        shaped[0].ShouldBe([(float)(0.5 / sd), 0, (float)((3 - 1.625) / sd)], 1e-6f);
        shaped[1].ShouldBe([0, (float)((-1 - 1.625) / sd)], 1e-6f);
    }
}
