using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Web.Grids;
using PreferenceStudio.Web.Projects;
using PreferenceStudio.Web.Security;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Projects;

/// <summary>What the project page and the homes read and change, through the use cases their components call.</summary>
public class ProjectPageUseCaseTests : UseCaseTest
{
    [Fact]
    public async Task Prompts_SearchMatchesTheConversationText_AndCountsTasks()
    {
        await using (var db = Database.CreateContext())
        {
            var first = await db.Prompts.Where(p => p.ProjectId == db.Projects.Single(x => x.Slug == DemoSeeder.ProjectSlug).Id).OrderBy(p => p.Id).FirstAsync();
            var word = first.LastUserMessage.Split(' ').OrderByDescending(w => w.Length).First();
            var page = await Service<PromptListQuery>().PageAsync(await AsAsync("Researcher"), first.ProjectId, new PageRequest(0, 50, Search: word.ToUpperInvariant()), CancellationToken.None);

            page.Items.ShouldContain(p => p.Id == first.Id);
            page.Items.ShouldAllBe(p => p.Text.Contains(word, StringComparison.OrdinalIgnoreCase) || (p.ExternalId ?? "").Contains(word, StringComparison.OrdinalIgnoreCase));
            page.Items.Single(p => p.Id == first.Id).Tasks.ShouldBe(await db.Tasks.CountAsync(t => t.PromptId == first.Id));
        }
    }

    [Fact]
    public async Task Tasks_FilteredByKindAndState_ReturnsOnlyThoseSortedAsAsked()
    {
        var projectId = await DemoProjectIdAsync();

        var page = await Service<TaskListQuery>().PageAsync(await AsAsync("Researcher"), projectId,
            new PageRequest(0, 200, TaskListQuery.Columns.Id, Descending: true), new TaskFilter(TaskKind.Ranking, TaskState.Open), CancellationToken.None);

        await using var db = Database.CreateContext();
        page.Total.ShouldBe(await db.Tasks.CountAsync(t => t.ProjectId == projectId && t.Kind == TaskKind.Ranking && t.State == TaskState.Open));
        page.Total.ShouldBeGreaterThan(0);
        page.Items.ShouldAllBe(t => t.Kind == TaskKind.Ranking && t.State == TaskState.Open);
        page.Items.Select(t => t.Id).ShouldBe(page.Items.Select(t => t.Id).OrderDescending());
    }

    [Fact]
    public async Task Guidelines_Saved_AreStoredAsWrittenAndNulIsRefused()
    {
        var projectId = await DemoProjectIdAsync();
        var editor = Service<GuidelinesEditor>();
        var researcher = await AsAsync("Researcher");

        (await editor.SaveAsync(researcher, projectId, "Be kind. <script>x</script>", CancellationToken.None)).ShouldBeNull();
        (await editor.SaveAsync(researcher, projectId, "Bad\0", CancellationToken.None)).ShouldNotBeNull().ShouldContain("NUL");

        await using var db = Database.CreateContext();
        (await db.Projects.SingleAsync(p => p.Id == projectId)).GuidelinesMarkdown.ShouldBe("Be kind. <script>x</script>");
    }

    [Fact]
    public async Task Guidelines_Annotator_IsRefusedAndNothingChanges()
    {
        var projectId = await DemoProjectIdAsync();

        await Should.ThrowAsync<AccessRefusedException>(async () =>
            await Service<GuidelinesEditor>().SaveAsync(await AsAsync("Annotator"), projectId, "mine now", CancellationToken.None));

        await using var db = Database.CreateContext();
        (await db.Projects.SingleAsync(p => p.Id == projectId)).GuidelinesMarkdown.ShouldNotBe("mine now");
    }

    [Fact]
    public async Task Export_Started_IsRecordedQueuedAndListed_ButNotForAnAnnotator()
    {
        var projectId = await DemoProjectIdAsync();
        var exports = Service<ProjectExports>();

        var export = await exports.StartAsync(await AsAsync("Researcher"), projectId, ExportFormat.HelpSteer, CancellationToken.None);
        await Should.ThrowAsync<AccessRefusedException>(async () =>
            await exports.StartAsync(await AsAsync("Annotator"), projectId, ExportFormat.HelpSteer, CancellationToken.None));
        await Should.ThrowAsync<AccessRefusedException>(async () =>
            await exports.PageAsync(await AsAsync("Annotator"), projectId, new PageRequest(0, 10), CancellationToken.None));

        export.State.ShouldBe(RunState.Queued);
        var listed = await exports.PageAsync(await AsAsync("Researcher"), projectId, new PageRequest(0, 10), CancellationToken.None);
        listed.Items.Select(e => e.Id).ShouldBe([export.Id]);
        listed.Items[0].IsFinished.ShouldBeFalse();
    }

    [Fact]
    public async Task ExportPage_ManyExports_PagesNewestFirstAndSortsByANamedColumnOnly()
    {
        var projectId = await DemoProjectIdAsync();
        var exports = Service<ProjectExports>();
        var researcher = await AsAsync("Researcher");
        var started = new List<long>();
        foreach (var format in new[] { ExportFormat.UltraFeedback, ExportFormat.TrlPreference, ExportFormat.HelpSteer })
            started.Add((await exports.StartAsync(researcher, projectId, format, CancellationToken.None)).Id);

        var first = await exports.PageAsync(researcher, projectId, new PageRequest(0, 2), CancellationToken.None);
        var second = await exports.PageAsync(researcher, projectId, new PageRequest(1, 2), CancellationToken.None);
        var byFormat = await exports.PageAsync(researcher, projectId, new PageRequest(0, 10, ProjectExports.Columns.Format), CancellationToken.None);
        var byUnknown = await exports.PageAsync(researcher, projectId, new PageRequest(0, 10, "FilePath; drop table"), CancellationToken.None);

        first.Total.ShouldBe(3);
        first.Items.Select(e => e.Id).Concat(second.Items.Select(e => e.Id)).ShouldBe(started.AsEnumerable().Reverse());
        byFormat.Items.Select(e => e.Format).ShouldBe([ExportFormat.TrlPreference, ExportFormat.UltraFeedback, ExportFormat.HelpSteer]);
        byUnknown.Items.Select(e => e.Id).ShouldBe(started.AsEnumerable().Reverse());
    }

    [Fact]
    public async Task Waiting_Annotator_CountsOpenTasksTheyWereNeverHanded()
    {
        var annotator = await AsAsync("Annotator");
        await using var db = Database.CreateContext();
        var me = await db.Users.Where(u => u.Email == Account("Annotator").Email).Select(u => u.Id).SingleAsync();
        var project = await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug);
        var open = await db.Tasks.CountAsync(t => t.ProjectId == project.Id && t.State == TaskState.Open);
        var task = await db.Tasks.FirstAsync(t => t.ProjectId == project.Id && t.State == TaskState.Open);
        db.Assignments.Add(new Assignment(task.Id, me, 1, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        await db.SaveChangesAsync();

        var work = await Service<HomeQuery>().WaitingAsync(annotator, CancellationToken.None);

        var demo = work.Single(w => w.Slug == DemoSeeder.ProjectSlug);
        demo.Waiting.ShouldBe(open - 1);
        demo.Kinds.ShouldBe([TaskKind.Pairwise, TaskKind.Ranking, TaskKind.Span, TaskKind.Principle]);
    }

    [Fact]
    public async Task Research_Researcher_SeesEveryProjectsProgressAndTheNewestModel()
    {
        await using (var db = Database.CreateContext())
        {
            db.ModelVersions.Add(new ModelVersion("newest", ModelKind.Reward, "models/newest"));
            await db.SaveChangesAsync();
        }

        var overview = await Service<HomeQuery>().ResearchAsync(await AsAsync("Researcher"), CancellationToken.None);

        overview.Model.ShouldNotBeNull().Name.ShouldBe("newest");
        var demo = overview.Projects.Single(p => p.Slug == DemoSeeder.ProjectSlug);
        demo.Tasks.ShouldBeGreaterThan(0);
        await Should.ThrowAsync<AccessRefusedException>(async () => await Service<HomeQuery>().ResearchAsync(await AsAsync("Annotator"), CancellationToken.None));
    }
}
