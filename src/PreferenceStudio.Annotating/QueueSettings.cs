using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Annotating;

/// <summary>What the queue needs of a project to hand out a slot: no principles, span labels or guidelines.</summary>
public sealed record QueueSettings(int ProjectId, double GoldRate, TimeSpan LeaseDuration)
{
    public static QueueSettings Of(Project project) => new(project.Id, project.GoldRate, project.LeaseDuration);
}
