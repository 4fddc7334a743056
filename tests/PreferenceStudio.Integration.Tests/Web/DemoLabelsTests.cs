using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Annotating.Simulation;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Web;

/// <summary>The demo that ./run seeds carries a simulated annotator's labels, and still leaves every task to people.</summary>
public sealed class DemoLabelsTests : WebAppTest
{
    private async Task<SimulatedSitting> SeedLabelsAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoLabels>().SeedAsync();
    }

    [Fact]
    public async Task SeedAsync_Twice_LabelsEachPreferenceTaskOnceAndLeavesEverySlotButOneToPeople()
    {
        var first = await SeedLabelsAsync();
        var second = await SeedLabelsAsync();

        await using var db = Database.CreateContext();
        var project = await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug);
        var pairwise = await db.Tasks.CountAsync(t => t.ProjectId == project.Id && t.Kind == TaskKind.Pairwise);
        var rankings = await db.Tasks.CountAsync(t => t.ProjectId == project.Id && t.Kind == TaskKind.Ranking);
        first.ShouldBe(new SimulatedSitting(pairwise, rankings, Skipped: first.Skipped));
        second.Labels.ShouldBe(0);
        var simulated = await db.Users.SingleAsync(u => u.Email == DemoLabels.Email);
        (await db.Annotations.CountAsync(a => a.AnnotatorId == simulated.Id)).ShouldBe(pairwise + rankings);
        // Overlap 2: one slot taken, one left for a person on every task; none is complete yet.
        (await db.Tasks.CountAsync(t => t.ProjectId == project.Id && t.State != TaskState.Open)).ShouldBe(0);
    }
}
