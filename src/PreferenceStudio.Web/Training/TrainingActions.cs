using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Training;

public sealed record LaunchOutcome(long? RunId, IReadOnlyList<(string? Property, string Message)> Problems);

public enum CancelOutcome
{
    Cancelled,
    AlreadyFinished,
    NotAllowed,
}

/// <summary>
/// What the training pages change, for a circuit. Each action asks the <see cref="AccessGate"/> again and runs in a
/// scope of its own, so no DbContext outlives the click that needed it.
/// </summary>
public sealed class TrainingActions(AccessGate gate, IServiceScopeFactory scopes)
{
    public const string NotAllowed = "Only researchers and administrators can launch or cancel training runs.";

    public async Task<LaunchOutcome> LaunchAsync(TrainingLaunchModel model, CancellationToken ct)
    {
        if (await ResearcherAsync() is not { } researcher)
            return new LaunchOutcome(null, [(null, NotAllowed)]);
        var problems = model.Problems();
        if (problems.Count > 0)
            return new LaunchOutcome(null, problems);
        await using var scope = scopes.CreateAsyncScope();
        var launcher = scope.ServiceProvider.GetRequiredService<TrainingLauncher>();
        var (project, baseModel) = (model.ProjectId!.Value, model.BaseModelId!.Value);
        var (run, errors) = model.Kind switch
        {
            TrainingKind.Dpo => await launcher.LaunchDpoAsync(project, baseModel, model.ToDpoConfig(), researcher, ct),
            TrainingKind.SpanRewardModel => await launcher.LaunchSpanRewardModelAsync(project, baseModel, model.ToSpanConfig(), researcher, ct),
            TrainingKind.PrincipleRewardModel => await launcher.LaunchPrincipleRewardModelAsync(project, baseModel, model.ToPrincipleConfig(), researcher, ct),
            TrainingKind.Ppo => await launcher.LaunchPpoAsync(project, baseModel, model.ToPpoConfig(), researcher, ct),
            _ => await launcher.LaunchRewardModelAsync(project, baseModel, model.ToRewardConfig(), researcher, ct),
        };
        return new LaunchOutcome(run?.Id, TrainingLaunchModel.Locate(errors, model.Kind));
    }

    public async Task<CancelOutcome> CancelAsync(long runId, CancellationToken ct)
    {
        if (await ResearcherAsync() is null)
            return CancelOutcome.NotAllowed;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TrainingLauncher>().CancelAsync(runId, ct)
            ? CancelOutcome.Cancelled
            : CancelOutcome.AlreadyFinished;
    }

    /// <summary>The signed-in researcher's name as runs record it, or null when the circuit's user may not train.</summary>
    private async Task<string?> ResearcherAsync() =>
        await gate.UserWithAsync(Policies.Research) is { } user ? user.Identity?.Name ?? "?" : null;
}
