using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace PreferenceStudio.LabelBench;

/// <summary>
/// Counts the commands and batches Npgsql sends, each a round trip, whether EF Core or the use case's own Npgsql code
/// sent them (an EF interceptor would miss the latter). Npgsql traces every execution as an activity; each simulated
/// annotator counts into its own box, carried by the async flow. Commits are not traced, so they are not counted.
/// </summary>
internal sealed class RoundTripCounter : IDisposable
{
    private readonly AsyncLocal<StrongBox<long>?> _box = new();
    private readonly ActivityListener _listener;

    public RoundTripCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            ActivityStarted = activity =>
            {
                // Connection opens are traced too; they are pool work, not the use case's statements.
                if (_box.Value is { } box && activity.OperationName != "connect" && !activity.DisplayName.StartsWith("open", StringComparison.OrdinalIgnoreCase))
                    box.Value++;
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Starts counting for the calling flow (one simulated annotator).</summary>
    public void Begin() => _box.Value = new StrongBox<long>();

    /// <summary>Statements sent so far by the calling flow.</summary>
    public long Count => _box.Value?.Value ?? 0;

    public void Dispose() => _listener.Dispose();
}
