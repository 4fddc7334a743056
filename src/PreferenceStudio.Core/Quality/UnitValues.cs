namespace PreferenceStudio.Core.Quality;

/// <summary>
/// The values one unit (a task, a response of a task, ...) was given, sorted, and how many units were given exactly
/// these: a project's units collapse to a few hundred such groups, so alpha needs no unit-by-unit pass.
/// </summary>
public sealed record UnitValues(IReadOnlyList<double> Values, long Units);
