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
            if (loader.ModelId(section) is { } id && await KindProblemAsync(db, loader, id, cancellationToken) is { } problem)
                errors.Add(problem);
        return errors;
    }

    /// <summary>Why model <paramref name="id"/> cannot be <paramref name="loader"/>'s source (none, or another kind), naming the field; null when it can.</summary>
    public static async Task<string?> KindProblemAsync(PreferenceStudioDbContext db, IPpoRewardSourceLoader loader, int id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(loader);
        var kind = await db.ModelVersions.AsNoTracking().Where(m => m.Id == id).Select(m => (Core.Training.ModelKind?)m.Kind).SingleOrDefaultAsync(cancellationToken);
        if (kind is null)
            return $"{loader.Field}: there is no model version {id}";
        return kind != loader.Kind ? $"{loader.Field}: model version {id} is a {kind} model; this source needs a {loader.Kind} model" : null;
    }
}
