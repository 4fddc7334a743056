namespace PreferenceStudio.Annotating.Simulation;

/// <summary>
/// How often one side won a set of judged pairs, with the Wilson score interval (Wilson 1927) for that share: it
/// stays inside [0, 1] and is honest for small counts and shares near 0 or 1, where the normal approximation is not.
/// A tie counts as half a win, so <see cref="Wins"/> may end in .5.
/// </summary>
public sealed record WinRate(double Wins, int Judged)
{
    public double Share => Judged == 0 ? double.NaN : Wins / Judged;

    /// <summary>The interval at the normal quantile <paramref name="z"/> (1.96: 95 %).</summary>
    public (double Low, double High) Interval(double z = 1.96)
    {
        if (Judged == 0)
            return (0, 1);
        var (n, p) = ((double)Judged, Share);
        var centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
