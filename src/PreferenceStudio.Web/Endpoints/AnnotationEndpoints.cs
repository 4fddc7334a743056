using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PreferenceStudio.Annotating;
using PreferenceStudio.Web.Annotating;
using PreferenceStudio.Web.Hosting;

namespace PreferenceStudio.Web.Endpoints;

/// <summary>
/// The annotator workspace's JSON API. Every write carries the antiforgery header and answers a receipt or a problem
/// that says what is wrong and where; nothing is stored when the answer is not 200.
/// </summary>
public static class AnnotationEndpoints
{
    public static IEndpointRouteBuilder MapAnnotationEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/annotate").RequireAuthorization(Policies.Annotate);
        api.MapPost("/{slug}/next", NextAsync).RequireAntiforgeryHeader();
        api.MapGet("/{slug}/progress", ProgressAsync);
        api.MapPost("/assignments/{assignmentId:long}/submit", SubmitAsync).RequireAntiforgeryHeader();
        api.MapPost("/assignments/{assignmentId:long}/skip", SkipAsync).RequireAntiforgeryHeader();
        api.MapPost("/assignments/{assignmentId:long}/renew", RenewAsync).RequireAntiforgeryHeader();
        api.MapPost("/tasks/{taskId:long}/revise", ReviseAsync).RequireAntiforgeryHeader();
        return app;
    }

    public sealed record SkipRequest(string? Reason);

    private static string Me(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("A signed-in user has an id.");

    private static async Task<Results<Ok<Lease>, NoContent, ProblemHttpResult>> NextAsync(
        string slug, ClaimsPrincipal user, TaskViewQuery views, AnnotationQueue queue, CancellationToken ct)
    {
        if (await views.QueueSettingsAsync(slug, ct) is not { } project)
            return Problem(StatusCodes.Status404NotFound, $"There is no project '{slug}'.");
        return await queue.NextAsync(project, Me(user), ct) is { } lease ? TypedResults.Ok(lease) : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<Progress>, ProblemHttpResult>> ProgressAsync(
        string slug, ClaimsPrincipal user, TaskViewQuery views, AnnotationQueue queue, CancellationToken ct)
    {
        if (await views.QueueSettingsAsync(slug, ct) is not { } project)
            return Problem(StatusCodes.Status404NotFound, $"There is no project '{slug}'.");
        return TypedResults.Ok(await queue.ProgressAsync(project.ProjectId, Me(user), ct));
    }

    private static async Task<Results<Ok<SubmitReceipt>, ProblemHttpResult>> SubmitAsync(
        long assignmentId, HttpRequest http, ClaimsPrincipal user, SubmitService submits, CancellationToken ct)
    {
        var (request, error) = await JsonBody.ReadAsync<SubmitRequest>(http, ct);
        return request is null ? Problem(StatusCodes.Status400BadRequest, error!) : Answer(await submits.SubmitAsync(assignmentId, Me(user), request, ct));
    }

    private static async Task<Results<Ok<SubmitReceipt>, ProblemHttpResult>> ReviseAsync(
        long taskId, HttpRequest http, ClaimsPrincipal user, SubmitService submits, CancellationToken ct)
    {
        var (request, error) = await JsonBody.ReadAsync<SubmitRequest>(http, ct);
        return request is null ? Problem(StatusCodes.Status400BadRequest, error!) : Answer(await submits.ReviseAsync(taskId, Me(user), request, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SkipAsync(
        long assignmentId, HttpRequest http, ClaimsPrincipal user, AnnotationQueue queue, CancellationToken ct)
    {
        var (request, error) = await JsonBody.ReadAsync<SkipRequest>(http, ct);
        if (request is null)
            return Problem(StatusCodes.Status400BadRequest, error!);
        var outcome = await queue.SkipAsync(assignmentId, Me(user), request.Reason, ct);
        return outcome.Message is null ? TypedResults.NoContent() : Problem(StatusOf(outcome.Kind), outcome.Message);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RenewAsync(
        long assignmentId, ClaimsPrincipal user, AnnotationQueue queue, CancellationToken ct)
    {
        var outcome = await queue.RenewAsync(assignmentId, Me(user), ct);
        return outcome.Message is null ? TypedResults.NoContent() : Problem(StatusOf(outcome.Kind), outcome.Message);
    }

    private static Results<Ok<SubmitReceipt>, ProblemHttpResult> Answer(SubmitOutcome outcome) =>
        outcome.Receipt is { } receipt ? TypedResults.Ok(receipt) : Problem(StatusOf(outcome.Kind), outcome.Error!);

    private static int StatusOf(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Invalid => StatusCodes.Status400BadRequest,
        OutcomeKind.NotFound => StatusCodes.Status404NotFound,
        OutcomeKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status200OK,
    };

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(statusCode: status, detail: detail, title: status switch
        {
            StatusCodes.Status400BadRequest => "The label is not valid; nothing was stored",
            StatusCodes.Status404NotFound => "Not found",
            StatusCodes.Status409Conflict => "Refused; nothing was stored",
            _ => null,
        });
}
