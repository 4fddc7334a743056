using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Training;

/// <summary>The model version a PPO run's policy becomes: a PPO run's own, or, for a loop round's run, the round's.</summary>
internal static class PpoOutput
{
    public static async Task<ModelVersion> VersionAsync(PreferenceStudioDbContext db, TrainingRun run, ModelVersion baseModel, string folder, CancellationToken cancellationToken)
    {
        if (run.RoundId is not { } roundId)
            return new ModelVersion($"policy of PPO run {run.Id}", ModelKind.Policy, folder, baseModel.Id, run.Id, ModelOrigin.PpoRun, referenceModelId: baseModel.Id);
        // As a round's DPO: PPO starts from the round's policy and is held to the round's reference, the same model.
        var round = await db.LoopRounds.AsNoTracking().Where(r => r.Id == roundId)
            .Select(r => new { r.Number, r.PolicyId, r.ReferenceId, Slug = db.Projects.Where(p => p.Id == r.ProjectId).Select(p => p.Slug).Single() })
            .SingleAsync(cancellationToken);
        if (round.PolicyId != baseModel.Id || round.ReferenceId != baseModel.Id)
            throw new InvalidOperationException(
                $"Run {run.Id} trained from model {baseModel.Id}, but its round {round.Number} starts from policy {round.PolicyId} with reference {round.ReferenceId}.");
        return new ModelVersion($"policy of round {round.Number} of {round.Slug}", ModelKind.Policy, folder, round.PolicyId, run.Id, ModelOrigin.Round,
            referenceModelId: round.ReferenceId, roundId: roundId);
    }
}
