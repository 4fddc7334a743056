using PreferenceStudio.Jobs;

namespace PreferenceStudio.Web.Projects;

public static class RetrainErrors
{
    /// <summary>
    /// The schedule's refusals as its two fields show them: each message names its field ("retrain_schedule: …");
    /// one naming neither (the project) goes with the cron, so that nothing is dropped.
    /// </summary>
    public static (string? Cron, string? BaseModel) Split(IEnumerable<string> errors)
    {
        var cron = new List<string>();
        var model = new List<string>();
        foreach (var error in errors)
        {
            if (error.StartsWith(ProjectSchedules.BaseModelField + ":", StringComparison.Ordinal))
                model.Add(error[(ProjectSchedules.BaseModelField.Length + 1)..].Trim());
            else if (error.StartsWith(ProjectSchedules.CronField + ":", StringComparison.Ordinal))
                cron.Add(error[(ProjectSchedules.CronField.Length + 1)..].Trim());
            else
                cron.Add(error);
        }
        return (cron.Count == 0 ? null : string.Join(" ", cron), model.Count == 0 ? null : string.Join(" ", model));
    }
}
