using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Web.Training;

/// <summary>How far a run is and, while it trains, about how long it still needs at the pace of its steps so far.</summary>
public sealed record RunProgress(int Step, int Total, double Percent, TimeSpan? Remaining)
{
    public static RunProgress Of(TrainingRun run, DateTimeOffset now) =>
        Of(run.State, run.Step, run.TotalSteps, run.StartedAt, now);

    public static RunProgress Of(RunState state, int step, int total, DateTimeOffset? startedAt, DateTimeOffset now)
    {
        var percent = total <= 0 ? 0 : Math.Clamp(100.0 * step / total, 0, 100);
        // Only a running run with steps behind it has a pace; a resumed run's pace includes its pause, so it errs long.
        TimeSpan? remaining = state == RunState.Running && step > 0 && total > step && startedAt is { } started && now > started
            ? (now - started) / step * (total - step)
            : null;
        return new RunProgress(step, total, percent, remaining);
    }

    /// <summary>"12 / 40", or "– / –" before a worker has counted the steps.</summary>
    public string Steps => Total > 0 ? $"{Step} / {Total}" : "– / –";

    /// <summary>A rough figure, as a person says it: "about 3 min left".</summary>
    public string? RemainingText => Remaining switch
    {
        null => null,
        { TotalSeconds: < 60 } r => $"about {Math.Max(1, (int)Math.Ceiling(r.TotalSeconds))} s left",
        { TotalMinutes: < 120 } r => $"about {(int)Math.Ceiling(r.TotalMinutes)} min left",
        { } r => $"about {r.TotalHours.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} h left",
    };
}
