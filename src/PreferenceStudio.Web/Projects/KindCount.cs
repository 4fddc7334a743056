using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Web.Projects;

/// <summary>How many tasks of one kind a project has.</summary>
public sealed record KindCount(TaskKind Kind, int Tasks)
{
    public string Name => Kind.ToString();
}

public static class FeedbackKindNames
{
    /// <summary>The kinds a project collects, each by its name, in the order the enum lists them (never the flags' number).</summary>
    public static IReadOnlyList<TaskKind> Of(FeedbackKinds kinds) =>
        Enum.GetValues<TaskKind>().Where(k => kinds.HasFlag((FeedbackKinds)k)).ToList();

    /// <summary>Every kind the project collects with its task count (0 when it has none yet), then any other kind that has tasks.</summary>
    public static IReadOnlyList<KindCount> WithCounts(FeedbackKinds kinds, IEnumerable<KindCount> counts)
    {
        var byKind = counts.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Sum(c => c.Tasks));
        return Enum.GetValues<TaskKind>()
            .Where(k => kinds.HasFlag((FeedbackKinds)k) || byKind.ContainsKey(k))
            .Select(k => new KindCount(k, byKind.GetValueOrDefault(k)))
            .ToList();
    }
}
