using Microsoft.AspNetCore.Http.HttpResults;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Components.Pages.Training;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Endpoints;

/// <summary>The parts of the training pages that are not whole pages: a run's polled status and its cancel button.</summary>
public static class TrainingEndpoints
{
    public static IEndpointRouteBuilder MapTrainingEndpoints(this IEndpointRouteBuilder app)
    {
        var research = app.MapGroup("/training").RequireAuthorization(Policies.Research);
        research.MapGet("/{id:long}/status", StatusAsync);
        // A plain form posts the token as a field, htmx as a header: the filter accepts either.
        research.MapPost("/{id:long}/cancel", CancelAsync).RequireAntiforgeryHeader();
        return app;
    }

    private static async Task<Results<RazorComponentResult<RunStatus>, NotFound<string>>> StatusAsync(
        long id, TrainingQuery query, CancellationToken ct) =>
        await query.RunAsync(id, ct) is { } details
            ? new RazorComponentResult<RunStatus>(new { Details = details })
            : TypedResults.NotFound($"There is no training run {id}.");

    /// <summary>
    /// Cancelling a finished run changes nothing and is no error: two researchers may both press the button, or the run
    /// may end as it is pressed. Either way the answer is the run as it now stands.
    /// </summary>
    private static async Task<Results<RazorComponentResult<RunStatus>, SeeOtherHttpResult, NotFound<string>>> CancelAsync(
        long id, HttpRequest request, TrainingLauncher launcher, TrainingQuery query, CancellationToken ct)
    {
        await launcher.CancelAsync(id, ct);
        if (await query.RunAsync(id, ct) is not { } details)
            return TypedResults.NotFound($"There is no training run {id}.");
        // htmx swaps the status in place; a browser without it goes back to the run's page.
        return request.Headers["HX-Request"] == "true"
            ? new RazorComponentResult<RunStatus>(new { Details = details })
            : new SeeOtherHttpResult($"/training/{id}");
    }
}
