using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Hosting;

namespace PreferenceStudio.Web.Endpoints;

/// <summary>
/// Launching a PPO run from a script: POST /training/ppo with {"project_id", "base_model_id", "config": a PPO run's
/// config in snake_case (docs/ppo.md)}. 201 with the run's status address, or 400 with every problem naming its field.
/// </summary>
public static class PpoEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapPpoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/training").RequireAuthorization(Policies.Research)
            .MapPost("/ppo", LaunchAsync).RequireAntiforgeryHeader();
        return app;
    }

    public sealed record Launched(long Id, string State);

    private static async Task<Results<Created<Launched>, ValidationProblem>> LaunchAsync(
        HttpRequest http, ClaimsPrincipal user, TrainingLauncher launcher, CancellationToken ct)
    {
        var (request, error) = await ReadAsync(http, ct);
        if (request is not var (projectId, baseModelId, config))
            return Invalid([error!]);
        var (run, errors) = await launcher.LaunchPpoAsync(projectId, baseModelId, config, user.Identity?.Name ?? "?", ct);
        return run is null
            ? Invalid(errors)
            : TypedResults.Created($"/training/{run.Id}/status", new Launched(run.Id, run.State.ToString()));
    }

    private static ValidationProblem Invalid(IReadOnlyList<string> errors) =>
        TypedResults.ValidationProblem(errors.GroupBy(e => e.Split([' ', ':'], 2)[0]).ToDictionary(g => g.Key, g => g.ToArray()));

    private static async Task<((int, int, PpoRunConfig)? Request, string? Error)> ReadAsync(HttpRequest http, CancellationToken ct)
    {
        if (http.ContentLength is > MaxBodyBytes)
            return (null, $"body: at most {MaxBodyBytes} bytes");
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Body, cancellationToken: ct);
            var root = body.RootElement;
            if (!root.TryGetProperty("project_id", out var project) || !project.TryGetInt32(out var projectId))
                return (null, "project_id: a project's id (a number) is required");
            if (!root.TryGetProperty("base_model_id", out var baseModel) || !baseModel.TryGetInt32(out var baseModelId))
                return (null, "base_model_id: the base policy's model version id (a number) is required");
            var config = root.TryGetProperty("config", out var section) ? PpoRunConfig.FromJson(section.GetRawText()) : new PpoRunConfig();
            return ((projectId, baseModelId, config), null);
        }
        catch (JsonException ex)
        {
            return (null, $"body: not a PPO launch request ({ex.Message})");
        }
    }
}
