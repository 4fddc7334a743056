namespace PreferenceStudio.Training.Tests;

/// <summary>
/// Pairs with a rule a tiny model can learn: somewhere in the chosen response is a "good" token (10-19), somewhere
/// in the rejected one a "bad" token (20-29); the rest is noise (100-299). The marker is not always last, so the
/// reward head has to read the sequence through attention, not just its final token.
/// </summary>
internal static class SyntheticPreferences
{
    public static List<PreferencePair> Make(int count, int seed)
    {
        var random = new Random(seed);
        long[] Noise(int n) => Enumerable.Range(0, n).Select(_ => (long)random.Next(100, 300)).ToArray();
        long[] Response(int markerLow)
        {
            var tokens = Noise(random.Next(2, 6)).ToList();
            tokens.Insert(random.Next(tokens.Count + 1), random.Next(markerLow, markerLow + 10));
            return tokens.ToArray();
        }
        return Enumerable.Range(0, count)
            .Select(_ => new PreferencePair(Noise(random.Next(2, 6)), Response(10), Response(20), Margin: random.Next(0, 3)))
            .ToList();
    }
}
