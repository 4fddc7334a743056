namespace PreferenceStudio.Jobs;

/// <summary>Per-project recurring jobs (the retrain schedule set on a project's page), named after their project.</summary>
public static class ProjectSchedules
{
    private const string RetrainPrefix = "project-retrain-";

    public static string RetrainId(int projectId) => RetrainPrefix + projectId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsProjectSchedule(string recurringJobId) => recurringJobId.StartsWith(RetrainPrefix, StringComparison.Ordinal);
}
