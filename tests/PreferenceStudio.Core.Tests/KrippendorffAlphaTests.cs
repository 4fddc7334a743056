using PreferenceStudio.Core.Quality;

namespace PreferenceStudio.Core.Tests;

public class KrippendorffAlphaTests
{
    // Krippendorff (2011)'s worked example: 4 coders, 12 units, missing values; unit 12 has one value and drops out.
    private static readonly double?[][] Coders =
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
        [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ];

    private static IEnumerable<IReadOnlyList<double>> Units() =>
        Enumerable.Range(0, 12).Select(u => (IReadOnlyList<double>)Coders.Select(c => c[u]).OfType<double>().ToList());

    [Fact]
    public void Compute_PublishedExample_Nominal_Is0743() =>
        KrippendorffAlpha.Compute(Units(), AlphaMetric.Nominal)!.Value.ShouldBe(0.743, 0.0005);

    [Fact]
    public void Compute_PublishedExample_Interval_Is0849() =>
        KrippendorffAlpha.Compute(Units(), AlphaMetric.Interval)!.Value.ShouldBe(0.849, 0.0005);

    [Fact]
    public void Compute_PerfectAgreement_IsOne() =>
        KrippendorffAlpha.Compute([[1, 1], [2, 2, 2], [0, 0]], AlphaMetric.Nominal).ShouldBe(1);

    [Fact]
    public void Compute_EveryValueTheSame_IsUndefined() =>
        KrippendorffAlpha.Compute([[1, 1], [1, 1]], AlphaMetric.Interval).ShouldBeNull();

    [Fact]
    public void Compute_NoUnitLabelledTwice_IsUndefined() =>
        KrippendorffAlpha.Compute([[1], [2]], AlphaMetric.Nominal).ShouldBeNull();

    [Fact]
    public void Compute_SystematicDisagreement_IsNegative() =>
        KrippendorffAlpha.Compute([[-2, 2], [2, -2], [-2, 2]], AlphaMetric.Interval)!.Value.ShouldBeLessThan(0);

    [Theory]
    [InlineData(AlphaMetric.Nominal)]
    [InlineData(AlphaMetric.Interval)]
    public void Compute_UnitsGroupedByValues_EqualsUnitByUnit(AlphaMetric metric)
    {
        // Random units of 1 to 6 values on the pairwise scale, many repeating, grouped as the quality page's SQL groups them.
        var random = new Random(7);
        var units = Enumerable.Range(0, 2000)
            .Select(_ => (IReadOnlyList<double>)Enumerable.Range(0, random.Next(1, 7)).Select(_ => (double)random.Next(-2, 3)).Order().ToList())
            .Concat(Units().Select(u => (IReadOnlyList<double>)u.Order().ToList()))
            .ToList();
        var groups = units.GroupBy(u => string.Join(",", u)).Select(g => new UnitValues(g.First(), g.Count())).ToList();

        groups.Count.ShouldBeLessThan(units.Count);
        KrippendorffAlpha.Compute(groups, metric)!.Value.ShouldBe(KrippendorffAlpha.Compute(units, metric)!.Value, 1e-12);
    }

    [Fact]
    public void Compute_GroupsOfSingleValues_IsUndefined() =>
        KrippendorffAlpha.Compute([new UnitValues([1], 5), new UnitValues([2], 3)], AlphaMetric.Nominal).ShouldBeNull();
}
