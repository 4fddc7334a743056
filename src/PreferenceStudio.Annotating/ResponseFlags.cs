namespace PreferenceStudio.Annotating;

/// <summary>Whole-response flags a span task offers besides the marked spans (Fine-Grained RLHF's completeness level and two more).</summary>
public static class ResponseFlags
{
    public static readonly IReadOnlyList<(string Key, string Label)> All =
    [
        ("incomplete", "Incomplete: misses information the prompt asks for"),
        ("off-topic", "Off topic: does not answer the prompt"),
        ("unsafe", "Unsafe or harmful"),
    ];

    public static bool IsKnown(string flag) => All.Any(f => f.Key == flag);
}
