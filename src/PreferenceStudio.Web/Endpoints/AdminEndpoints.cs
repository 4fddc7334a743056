using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using PreferenceStudio.Web.Admin;
using PreferenceStudio.Web.Hosting;

namespace PreferenceStudio.Web.Endpoints;

public static class AdminEndpoints
{
    /// <summary>Where Hangfire's own dashboard is mapped (admins only).</summary>
    public const string DashboardPath = "/admin/hangfire";

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin").RequireAuthorization(Policies.Admin);
        api.MapGet("/jobs", GetJobsStatus);
        // A cookie-authenticated write: it needs the antiforgery token as a header.
        api.MapPost("/jobs/{name}/trigger", TriggerJob).RequireAntiforgeryHeader();

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

    private static Results<Accepted<TriggeredJob>, NotFound<string>> TriggerJob(string name, JobTriggers triggers) =>
        triggers.Trigger(name) is { } started
            ? TypedResults.Accepted("/api/admin/jobs", started)
            : TypedResults.NotFound($"No job '{name}' can be started by hand.");
}
