namespace PreferenceStudio.Core.Quality;

public enum AlphaMetric
{
    /// <summary>Values are categories: any two different values disagree equally (principle verdicts).</summary>
    Nominal,
    /// <summary>Values are on a scale: disagreement grows with the squared distance (pairwise strength, ranks).</summary>
    Interval,
}

/// <summary>
/// Krippendorff's alpha, the chance-corrected agreement of any number of annotators with missing labels:
/// α = 1 − D_o / D_e (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", eq. for the coincidence
/// matrix). Only units labelled at least twice count. Null when it is undefined: fewer than two such units'
/// values, or all values the same (no expected disagreement).
/// </summary>
public static class KrippendorffAlpha
{
    public static double? Compute(IEnumerable<IReadOnlyList<double>> units, AlphaMetric metric)
    {
        var pairable = units.Where(u => u.Count >= 2).ToList();
        var n = pairable.Sum(u => u.Count);
        if (n < 2)
            return null;

        double observed = 0;
        foreach (var unit in pairable)
        {
            double sum = 0;
            for (var i = 0; i < unit.Count; i++)
                for (var j = 0; j < unit.Count; j++)
                    if (i != j)
                        sum += Delta(unit[i], unit[j], metric);
            observed += sum / (unit.Count - 1);
        }
        observed /= n;

        // Expected disagreement from how often each value occurs among all pairable values.
        var frequencies = pairable.SelectMany(u => u).GroupBy(v => v).Select(g => (Value: g.Key, Count: (double)g.Count())).ToList();
        double expected = 0;
        foreach (var a in frequencies)
            foreach (var b in frequencies)
                expected += a.Count * b.Count * Delta(a.Value, b.Value, metric);
        expected /= n * (n - 1.0);

        return expected == 0 ? null : 1 - observed / expected;
    }

    /// <summary>
    /// The same alpha from units grouped by their values (see <see cref="UnitValues"/>): each group adds its units'
    /// disagreement and value counts times the number of units in it, so the sums are those of <see cref="Compute(IEnumerable{IReadOnlyList{double}}, AlphaMetric)"/>,
    /// added in another order.
    /// </summary>
    public static double? Compute(IEnumerable<UnitValues> groups, AlphaMetric metric)
    {
        double n = 0, observed = 0;
        var frequencies = new Dictionary<double, double>();
        foreach (var group in groups)
        {
            var unit = group.Values;
            if (unit.Count < 2 || group.Units <= 0)
                continue;
            double sum = 0;
            for (var i = 0; i < unit.Count; i++)
                for (var j = 0; j < unit.Count; j++)
                    if (i != j)
                        sum += Delta(unit[i], unit[j], metric);
            observed += group.Units * (sum / (unit.Count - 1));
            n += (double)group.Units * unit.Count;
            foreach (var value in unit)
                frequencies[value] = frequencies.GetValueOrDefault(value) + group.Units;
        }
        if (n < 2)
            return null;
        observed /= n;

        double expected = 0;
        foreach (var a in frequencies)
            foreach (var b in frequencies)
                expected += a.Value * b.Value * Delta(a.Key, b.Key, metric);
        expected /= n * (n - 1.0);

        return expected == 0 ? null : 1 - observed / expected;
    }

    private static double Delta(double a, double b, AlphaMetric metric) => metric switch
    {
        AlphaMetric.Nominal => a.Equals(b) ? 0 : 1,
        _ => (a - b) * (a - b),
    };
}
