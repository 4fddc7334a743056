using System.Security.Claims;
using PreferenceStudio.Core;
using PreferenceStudio.Jobs;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Projects;

/// <summary>A project's retrain schedule as its page sets it: the research check, then <see cref="ProjectSchedules"/>.</summary>
public sealed class RetrainScheduler(AccessGate gate, IServiceScopeFactory scopes)
{
    public async Task<IReadOnlyList<Choice>> BaseModelsAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TrainingQuery>().BaseModelsAsync(cancellationToken);
    }

    /// <summary>Sets (or, with an empty cron, removes) the schedule; the problems, each naming its field, and nothing changed when there are any.</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(ClaimsPrincipal user, int projectId, string? cron, int? baseModelId, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        if (StorableText.Problem(cron) is { } problem)
            return [$"{ProjectSchedules.CronField}: {problem}"];
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ProjectSchedules>().SetRetrainAsync(projectId, cron, baseModelId, cancellationToken);
    }
}
