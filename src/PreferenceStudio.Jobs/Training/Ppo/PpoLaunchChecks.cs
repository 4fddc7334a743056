using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Training;

/// <summary>What a PPO run's reward section names, checked against the registry before the run is queued.</summary>
public static class PpoLaunchChecks
{
    /// <summary>Each named model must exist and be of its source's kind; at least one source must be named. Errors name the field.</summary>
    public static async Task<IReadOnlyList<string>> CheckRewardAsync(PreferenceStudioDbContext db, PpoRewardSection? section, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (section is null)
            return ["reward: the run needs its reward section"];
        if (!section.HasSource)
            return ["reward: name at least one reward source (reward.reward_model_id, reward.span_model_id or reward.principle_model_id)"];
        var errors = new List<string>();
        foreach (var loader in PpoRewardSourceLoaders.All)
        {
            if (loader.ModelId(section) is not { } id)
                continue;
            var kind = await db.ModelVersions.AsNoTracking().Where(m => m.Id == id).Select(m => (Core.Training.ModelKind?)m.Kind).SingleOrDefaultAsync(cancellationToken);
            if (kind is null)
                errors.Add($"{loader.Field}: there is no model version {id}");
            else if (kind != loader.Kind)
                errors.Add($"{loader.Field}: model version {id} is a {kind} model; this source needs a {loader.Kind} model");
        }
        return errors;
    }
}
