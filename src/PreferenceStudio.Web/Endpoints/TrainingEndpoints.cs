using Microsoft.AspNetCore.Http.HttpResults;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Endpoints;

/// <summary>A run's state for scripts (JSON) and its cancel for clients without the page; the pages themselves use the circuit.</summary>
public static class TrainingEndpoints
{
    public static IEndpointRouteBuilder MapTrainingEndpoints(this IEndpointRouteBuilder app)
    {
        var research = app.MapGroup("/training").RequireAuthorization(Policies.Research);
        research.MapGet("/{id:long}/status", StatusAsync);
        // A plain form posts the token as a field, a script as a header: the filter accepts either.
        research.MapPost("/{id:long}/cancel", CancelAsync).RequireAntiforgeryHeader();
        return app;
    }

    /// <summary>Where a run stands, as a script following it needs it.</summary>
    public sealed record RunStatus(
        long Id, string Kind, string State, int Step, int TotalSteps, string? Node, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt, string? Error, int? OutputModelVersionId, double? HeldOutAccuracy);

    private static async Task<Results<Ok<RunStatus>, NotFound<string>>> StatusAsync(long id, TrainingQuery query, CancellationToken ct) =>
        await query.RunAsync(id, ct) is { Run: var run } details
            ? TypedResults.Ok(new RunStatus(run.Id, RunNames.Kind(run.Kind), run.State.ToString(), run.Step, run.TotalSteps, run.Node,
                run.CreatedAt, run.StartedAt, run.FinishedAt, run.Error, run.OutputModelVersionId, details.OutputModel?.HeldOutAccuracy))
            : TypedResults.NotFound($"There is no training run {id}.");

    /// <summary>
    /// Cancelling a finished run changes nothing and is no error: two researchers may both press the button, or the run
    /// may end as it is pressed. Either way the answer sends the client back to the run as it now stands.
    /// </summary>
    private static async Task<Results<SeeOtherHttpResult, NotFound<string>>> CancelAsync(
        long id, TrainingLauncher launcher, TrainingQuery query, CancellationToken ct)
    {
        await launcher.CancelAsync(id, ct);
        return await query.RunAsync(id, ct) is null
            ? TypedResults.NotFound($"There is no training run {id}.")
            : new SeeOtherHttpResult($"/training/{id}");
    }
}
