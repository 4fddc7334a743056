using Microsoft.AspNetCore.Http.HttpResults;
using PreferenceStudio.Jobs;
using PreferenceStudio.Web.Components.Pages.Admin;
using PreferenceStudio.Web.Hosting;
using Quartz;

namespace PreferenceStudio.Web.Endpoints;

public static class AdminEndpoints
{
    /// <summary>Jobs an administrator may start by hand from the jobs page.</summary>
    public static readonly IReadOnlyList<JobKey> TriggerableJobs = [ExpireLeasesJob.Key, ClusterDrillJob.Key];

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin").RequireAuthorization(Policies.Admin);
        api.MapGet("/scheduler", GetSchedulerStatus);
        // A cookie-authenticated write: it needs the antiforgery token (htmx sends it as a header).
        api.MapPost("/jobs/{group}/{name}/trigger", TriggerJob).RequireAntiforgeryHeader();

        var partials = app.MapGroup("/admin/partials").RequireAuthorization(Policies.Admin);
        partials.MapGet("/jobs-status", async (SchedulerStatusQuery query, CancellationToken ct) =>
            new RazorComponentResult<JobsStatus>(new { Status = await query.GetAsync(ct) }));
        return app;
    }

    private static async Task<Ok<SchedulerStatus>> GetSchedulerStatus(SchedulerStatusQuery query, CancellationToken ct) =>
        TypedResults.Ok(await query.GetAsync(ct));

    /// <summary>Schedules one run of a job now; whichever node of the cluster is free takes it.</summary>
    private static async Task<Results<Accepted<TriggeredJob>, NotFound<string>>> TriggerJob(
        string group, string name, ISchedulerFactory schedulers, CancellationToken ct)
    {
        var key = new JobKey(name, group);
        if (!TriggerableJobs.Contains(key))
            return TypedResults.NotFound($"No job '{group}.{name}' can be started by hand.");
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.TriggerJob(key, new JobDataMap(), ct);
        return TypedResults.Accepted("/api/admin/scheduler", new TriggeredJob($"{group}.{name}"));
    }

    public sealed record TriggeredJob(string Job);
}
