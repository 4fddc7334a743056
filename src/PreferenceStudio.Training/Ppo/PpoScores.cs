namespace PreferenceStudio.Training.Ppo;

/// <summary>From the reward function's scores to the ones PPO optimises (PPO-max's reward scaling and clipping).</summary>
public static class PpoScores
{
    /// <summary>The scores PPO optimises: the missing-EOS penalty at the last token, then PPO-max's scaling by the
    /// running standard deviation of the responses' total scores (and normalisation: minus the running mean at the
    /// last token), then clipping of every token's score to ±score_clip. The raw scores are left as they are.</summary>
    public static float[][] Shape(PpoConfig config, IReadOnlyList<PpoSample> samples, float[][] raw, RunningMoments moments)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(moments);
        var scores = raw.Select(s => (float[])s.Clone()).ToArray();
        if (config.MissingEosPenalty is { } penalty)
            for (var i = 0; i < scores.Length; i++)
                if (!samples[i].Stopped) scores[i][^1] -= (float)penalty;
        if (config.UseScoreScaling)
        {
            moments.Update(scores.Select(s => (double)s.Sum()).ToList());
            var scale = moments.Std + 1e-8;
            foreach (var s in scores)
            {
                if (config.UseScoreNorm) s[^1] -= (float)moments.Mean;
                for (var t = 0; t < s.Length; t++) s[t] = (float)(s[t] / scale);
            }
        }
        if (config.ScoreClip is { } clip)
            foreach (var s in scores)
                for (var t = 0; t < s.Length; t++) s[t] = Math.Clamp(s[t], (float)-clip, (float)clip);
        return scores;
    }
}
