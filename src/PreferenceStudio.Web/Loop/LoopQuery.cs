using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Grids;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Loop;

public sealed record LoopProject(int Id, string Slug, string Name);

public sealed record RoundRow(
    long Id, int Number, RoundState State, RoundStageKind? Stage, string StartedBy, int HumanPairs, int RewardModelPairs,
    double? RewardAccuracy, double? WinRateVsPrevious, double? WinRateVsBase, int? OutputPolicyId, string? OutputPolicy,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt);

/// <summary>
/// A round with what its page names: the models by id, the output policy's lineage (the policy first, the model
/// nothing here trained last, each with the round that made it, if one did), and whether its pairs file is written.
/// </summary>
public sealed record RoundDetails(LoopRound Round, LoopProject Project, IReadOnlyDictionary<int, string> Models, IReadOnlyList<LineageStep> Lineage, bool PairsWritten)
{
    public string? Model(int? id) => id is { } known ? Models.GetValueOrDefault(known, $"model {known}") : null;
}

/// <summary>One model of a lineage chain, and the number of the round that made it (null: not made by a round).</summary>
public sealed record LineageStep(int ModelId, string Name, int? RoundNumber);

/// <summary>
/// What the loop pages read. Each call opens its own short-lived context, as <see cref="TrainingQuery"/> does: a circuit
/// lives for hours and may read from a push and a click at once.
/// </summary>
public sealed class LoopQuery(IDbContextFactory<PreferenceStudioDbContext> contexts, StoreFiles files)
{
    public async Task<LoopProject?> ProjectAsync(string slug, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Projects.AsNoTracking().Where(p => p.Slug == slug).Select(p => new LoopProject(p.Id, p.Slug, p.Name)).FirstOrDefaultAsync(ct);
    }

    /// <summary>The policies a loop can start from, newest first.</summary>
    public async Task<List<Choice>> PoliciesAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().Where(m => m.Kind == ModelKind.Policy).OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => new Choice(m.Id, m.Name)).ToListAsync(ct);
    }

    /// <summary>A page of the project's rounds, newest first unless sorted otherwise.</summary>
    public async Task<Paged<RoundRow>> RoundsAsync(int projectId, PageRequest request, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rounds = db.LoopRounds.AsNoTracking().Where(r => r.ProjectId == projectId);
        var total = await rounds.CountAsync(ct);
        var rows = await rounds.SortBy(request)
            .Column(nameof(RoundRow.Number), r => r.Number)
            .Column(nameof(RoundRow.State), r => r.State)
            .Column(nameof(RoundRow.StartedBy), r => r.StartedBy)
            .Column(nameof(RoundRow.RewardAccuracy), r => r.RewardAccuracy)
            .Column(nameof(RoundRow.WinRateVsPrevious), r => r.WinRateVsPrevious)
            .Column(nameof(RoundRow.WinRateVsBase), r => r.WinRateVsBase)
            .Column(nameof(RoundRow.CreatedAt), r => r.CreatedAt)
            .Column(nameof(RoundRow.FinishedAt), r => r.FinishedAt)
            .Otherwise(r => r.Number, descending: true).ThenByDescending(r => r.Id)
            .PageOf(request)
            .Select(r => new RoundRow(r.Id, r.Number, r.State, r.Stage, r.StartedBy, r.HumanPairs, r.RewardModelPairs, r.RewardAccuracy,
                r.WinRateVsPrevious, r.WinRateVsBase, r.OutputPolicyId,
                db.ModelVersions.Where(m => m.Id == r.OutputPolicyId).Select(m => m.Name).FirstOrDefault(), r.CreatedAt, r.FinishedAt))
            .ToListAsync(ct);
        return new Paged<RoundRow>(rows, total);
    }

    /// <summary>What every round of the project measured, oldest first: the charts over rounds.</summary>
    public async Task<List<RoundPoint>> PointsAsync(int projectId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.LoopRounds.AsNoTracking().Where(r => r.ProjectId == projectId).OrderBy(r => r.Number)
            .Select(r => new RoundPoint(r.Number, r.RewardAccuracy, r.WinRateVsPrevious, r.WinRateVsBase)).ToListAsync(ct);
    }

    /// <summary>The project's round number <paramref name="number"/>, or null.</summary>
    public async Task<RoundDetails?> RoundAsync(string slug, int number, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var project = await db.Projects.AsNoTracking().Where(p => p.Slug == slug).Select(p => new LoopProject(p.Id, p.Slug, p.Name)).FirstOrDefaultAsync(ct);
        if (project is null)
            return null;
        var round = await db.LoopRounds.AsNoTracking().SingleOrDefaultAsync(r => r.ProjectId == project.Id && r.Number == number, ct);
        if (round is null)
            return null;
        int?[] named = [round.PolicyId, round.ReferenceId, round.BasePolicyId, round.RewardModelId, round.SpanRewardModelId, round.PrincipleRewardModelId, round.OutputPolicyId];
        var ids = named.OfType<int>().Distinct().ToList();
        var models = await db.ModelVersions.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, ct);
        var lineage = round.OutputPolicyId is { } output ? await LineageAsync(db, output, ct) : [];
        return new RoundDetails(round, project, models, lineage, files.HasPairs(round.Id));
    }

    private static async Task<IReadOnlyList<LineageStep>> LineageAsync(PreferenceStudioDbContext db, int modelId, CancellationToken ct)
    {
        var chain = await new ModelLineage(db).ChainAsync(modelId, ct);
        var roundIds = chain.Select(m => m.RoundId).OfType<long>().ToList();
        var numbers = await db.LoopRounds.AsNoTracking().Where(r => roundIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Number, ct);
        return chain.Select(m => new LineageStep(m.Id, m.Name, m.RoundId is { } id ? numbers.GetValueOrDefault(id) : null)).ToList();
    }
}
