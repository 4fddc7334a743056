using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Web.Tests.Annotate;

/// <summary>Task views as the workspace gets them, built without a database.</summary>
internal static class Views
{
    public static TaskView Of(TaskKind kind, string[] texts, bool ties = false, Annotation? current = null, Project? project = null) =>
        new(7, kind, [new ChatTurn("user", "Which is better?")],
            texts.Select((t, i) => new ShownResponse(100 + i, ((char)('A' + i)).ToString(), t)).ToList(),
            project?.Principles.ToList() ?? [], project?.SpanLabels.ToList() ?? [], ties, current);

    public static AnnotationContext Context() =>
        new(7, "annotator", 1, Guid.NewGuid(), TimeSpan.FromSeconds(3), [100, 101, 102], null, DateTimeOffset.UtcNow);
}
