using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Testing;
using PreferenceStudio.Training.Principles;
using PreferenceStudio.Training.Spans;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>What the PPO form's reward pickers offer and what choosing a model fills in: its taxonomy, its principles.</summary>
public class PpoRewardChoicesTests : WebAppTest
{
    private TrainingQuery Query => App.Services.GetRequiredService<TrainingQuery>();
    private RewardKindResultsQuery Results => App.Services.GetRequiredService<RewardKindResultsQuery>();

    [Fact]
    public async Task RewardSourcesAsync_TwoProjects_OffersTheProjectsOwnAndTheRegisteredModelsOfTheKindOnlyAndTheLoopOnlyItsOwn()
    {
        await using var db = Database.CreateContext();
        var (alpha, _, _) = await Seed.PairwiseTaskAsync(db, slug: "alpha");
        var (beta, _, _) = await Seed.PairwiseTaskAsync(db, slug: "beta");
        var alphaRun = new TrainingRun(TrainingKind.SpanRewardModel, new SpanRewardRunConfig().ToJson(), "ada@lab.test", alpha.Id);
        var betaRun = new TrainingRun(TrainingKind.SpanRewardModel, new SpanRewardRunConfig().ToJson(), "ada@lab.test", beta.Id);
        db.TrainingRuns.AddRange(alphaRun, betaRun);
        await db.SaveChangesAsync();
        var alphas = new ModelVersion("alpha span", ModelKind.SpanReward, "models/a", trainingRunId: alphaRun.Id, origin: ModelOrigin.SpanRewardRun);
        var betas = new ModelVersion("beta span", ModelKind.SpanReward, "models/b", trainingRunId: betaRun.Id, origin: ModelOrigin.SpanRewardRun);
        var registered = new ModelVersion("registered span", ModelKind.SpanReward, "models/r");
        var principle = new ModelVersion("a principle model", ModelKind.PrincipleReward, "models/p");
        db.ModelVersions.AddRange(alphas, betas, registered, principle);
        await db.SaveChangesAsync();

        var forAlpha = await Query.RewardSourcesAsync(ModelKind.SpanReward, alpha.Id, CancellationToken.None);
        var forNone = await Query.RewardSourcesAsync(ModelKind.SpanReward, null, CancellationToken.None);
        var forAlphasLoop = await Query.RewardSourcesAsync(ModelKind.SpanReward, alpha.Id, CancellationToken.None, retrainedByRounds: true);

        forAlpha.Select(c => c.Name).ShouldBe(["alpha span", "registered span"], ignoreOrder: true);
        forAlphasLoop.Select(c => c.Name).ShouldBe(["alpha span"]);
        forNone.Select(c => c.Name).ShouldBe(["alpha span", "beta span", "registered span"], ignoreOrder: true);
    }

    [Fact]
    public async Task OfModelAsync_SpanAndPrincipleFolders_GiveTheTaxonomyAndThePrinciplesAndNothingForTheWrongKind()
    {
        var span = Path.Combine(App.StoreRoot, "models", "span");
        Directory.CreateDirectory(span);
        await File.WriteAllTextAsync(Path.Combine(span, SpanRewardModel.LabelsFile), """{"categories": ["factual-error", "irrelevant"]}""");
        PrincipleSet.Save(Path.Combine(App.StoreRoot, "models", "principle"), [new PrincipleDefinition("polite", "Is it polite?"), new PrincipleDefinition("short", "Is it short?")]);
        await using var db = Database.CreateContext();
        var spanModel = new ModelVersion("span", ModelKind.SpanReward, "models/span");
        var principleModel = new ModelVersion("principle", ModelKind.PrincipleReward, "models/principle");
        var unreadable = new ModelVersion("gone", ModelKind.SpanReward, "models/gone");
        db.ModelVersions.AddRange(spanModel, principleModel, unreadable);
        await db.SaveChangesAsync();

        (await Results.CategoriesOfModelAsync(spanModel.Id, CancellationToken.None)).ShouldBe(["factual-error", "irrelevant"]);
        (await Results.PrinciplesOfModelAsync(principleModel.Id, CancellationToken.None)).Select(p => p.Text).ShouldBe(["Is it polite?", "Is it short?"]);
        (await Results.CategoriesOfModelAsync(principleModel.Id, CancellationToken.None)).ShouldBeEmpty();
        (await Results.CategoriesOfModelAsync(unreadable.Id, CancellationToken.None)).ShouldBeEmpty();
    }
}
