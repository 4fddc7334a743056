using Microsoft.AspNetCore.Http.HttpResults;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Endpoints;

/// <summary>A span or principle reward model run's held-out results for scripts (JSON), as its run page shows them.</summary>
public static class RewardKindEndpoints
{
    public static IEndpointRouteBuilder MapRewardKindEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/training").RequireAuthorization(Policies.Research).MapGet("/{id:long}/results", ResultsAsync);
        return app;
    }

    /// <summary>Per category precision, recall and F1 (span), or per principle accuracy (principle); 404 before the run made its model.</summary>
    private static async Task<Results<Ok<RewardKindResults>, NotFound<string>>> ResultsAsync(long id, RewardKindResultsQuery query, CancellationToken ct) =>
        await query.ForRunAsync(id, ct) is { } results
            ? TypedResults.Ok(results)
            : TypedResults.NotFound($"Training run {id} has made no span or principle reward model.");
}
