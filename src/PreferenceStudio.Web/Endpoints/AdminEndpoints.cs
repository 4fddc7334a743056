using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using PreferenceStudio.Jobs;
using PreferenceStudio.Web.Admin;
using PreferenceStudio.Web.Components.Pages.Admin;
using PreferenceStudio.Web.Hosting;

namespace PreferenceStudio.Web.Endpoints;

public static class AdminEndpoints
{
    /// <summary>Where Hangfire's own dashboard is mapped (admins only).</summary>
    public const string DashboardPath = "/admin/hangfire";

    /// <summary>Jobs an administrator may start by hand from the jobs page.</summary>
    public static readonly IReadOnlyList<string> TriggerableJobs = [ExpireLeasesJob.RecurringId, FileCleanupJob.RecurringId, ClusterDrillJob.Name];

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin").RequireAuthorization(Policies.Admin);
        api.MapGet("/jobs", GetJobsStatus);
        // A cookie-authenticated write: it needs the antiforgery token (htmx sends it as a header).
        api.MapPost("/jobs/{name}/trigger", TriggerJob).RequireAntiforgeryHeader();

        var partials = app.MapGroup("/admin/partials").RequireAuthorization(Policies.Admin);
        partials.MapGet("/jobs-status", (JobsStatusQuery query) => new RazorComponentResult<JobsStatusView>(new { Status = query.Get() }));

        // Hangfire's dashboard authorizes with its own filter, over the app's cookie (see AdminDashboardAuthorization).
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new AdminDashboardAuthorization()],
            AppPath = "/admin/jobs",
            DashboardTitle = "PreferenceStudio · jobs",
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    private static Ok<JobsStatus> GetJobsStatus(JobsStatusQuery query) => TypedResults.Ok(query.Get());

    /// <summary>Enqueues one run of a job now; whichever worker listening to its queue is free takes it.</summary>
    private static Results<Accepted<TriggeredJob>, NotFound<string>> TriggerJob(
        string name, IRecurringJobManager recurring, IBackgroundJobClient jobs)
    {
        switch (name)
        {
            case ExpireLeasesJob.RecurringId or FileCleanupJob.RecurringId:
                recurring.Trigger(name);
                return TypedResults.Accepted("/api/admin/jobs", new TriggeredJob(name, null));
            case ClusterDrillJob.Name:
                var id = jobs.Enqueue<ClusterDrillJob>(JobQueues.Default, j => j.RunAsync(ClusterDrillJob.DefaultSeconds, null, CancellationToken.None));
                return TypedResults.Accepted("/api/admin/jobs", new TriggeredJob(name, id));
            default:
                return TypedResults.NotFound($"No job '{name}' can be started by hand.");
        }
    }

    public sealed record TriggeredJob(string Job, string? JobId);
}
