using System.Text.Json;

namespace PreferenceStudio.Jobs.Export;

/// <summary>Why a labelled response gave no span example (each counted per response).</summary>
public enum SpanLeftOutReason
{
    /// <summary>The label names a response that is not in the database (any more).</summary>
    ResponseMissing,

    /// <summary>A span of the response ends past its text: the label no longer fits the text, so none of it is trusted.</summary>
    SpanOutsideResponse,

    /// <summary>A span's label is not in the project's taxonomy.</summary>
    UnknownSpanLabel,

    /// <summary>The response is empty: there is no token to tag.</summary>
    EmptyResponse,

    /// <summary>A span marks a response the annotator was not shown (counted per span).</summary>
    SpanOnResponseNotShown,
}

/// <summary>What a pass of <see cref="SpanExampleSource"/> read, kept and left out.</summary>
public sealed class SpanCounts
{
    /// <summary>Current span labels read.</summary>
    public int Labels { get; set; }

    /// <summary>Labelled responses kept as examples, with errors marked or without.</summary>
    public int Examples { get; set; }

    /// <summary>Kept examples without any span: responses the annotator found no error in.</summary>
    public int WithoutErrors { get; set; }

    public Dictionary<SpanLeftOutReason, int> LeftOut { get; init; } = [];

    public DateTimeOffset? NewestLabelAt { get; set; }

    public int LeftOutFor(SpanLeftOutReason reason) => LeftOut.GetValueOrDefault(reason);

    internal void LeaveOut(SpanLeftOutReason reason, int count = 1)
    {
        if (count > 0) LeftOut[reason] = LeftOutFor(reason) + count;
    }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static SpanCounts FromJson(string json) =>
        JsonSerializer.Deserialize<SpanCounts>(json) ?? throw new FormatException("span counts: the JSON is null");
}
