using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Grids;
using PreferenceStudio.Web.Projects;
using PreferenceStudio.Web.Security;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Projects;

/// <summary>The projects list's query: kinds by name with their counts, search and sort done in SQL.</summary>
public class ProjectListQueryTests : UseCaseTest
{
    private async Task AddProjectAsync(string name, string slug, FeedbackKinds kinds)
    {
        await using var db = Database.CreateContext();
        db.Projects.Add(new Project(name, slug, kinds));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Page_DemoProject_ListsEachKindByNameWithItsTaskCount()
    {
        await AddProjectAsync("Empty one", "empty", FeedbackKinds.Pairwise | FeedbackKinds.Ranking);

        var page = await Service<ProjectListQuery>().PageAsync(await AsAsync("Researcher"), new PageRequest(0, 25), CancellationToken.None);

        page.Total.ShouldBe(2);
        var demo = page.Items.Single(p => p.Slug == DemoSeeder.ProjectSlug);
        demo.Kinds.Select(k => k.Name).ShouldBe(["Pairwise", "Ranking", "Span", "Principle"]);
        await using var db = Database.CreateContext();
        foreach (var kind in demo.Kinds)
            kind.Tasks.ShouldBe(db.Tasks.Count(t => t.ProjectId == demo.Id && t.Kind == kind.Kind), kind.Name);
        demo.Kinds.ShouldAllBe(k => k.Tasks > 0);
        page.Items.Single(p => p.Slug == "empty").Kinds.ShouldBe([new KindCount(TaskKind.Pairwise, 0), new KindCount(TaskKind.Ranking, 0)]);
    }

    [Fact]
    public async Task Page_SearchAndSort_FilterAndOrderInTheQuery()
    {
        await AddProjectAsync("Alpha safety", "alpha", FeedbackKinds.Span | FeedbackKinds.Pairwise);
        await AddProjectAsync("Beta safety", "beta", FeedbackKinds.Span);
        await AddProjectAsync("100%_literal", "literal", FeedbackKinds.Span);
        var query = Service<ProjectListQuery>();
        var researcher = await AsAsync("Researcher");

        var safety = await query.PageAsync(researcher, new PageRequest(0, 25, ProjectListQuery.Columns.Name, Descending: true, Search: "SAFETY"), CancellationToken.None);
        var literal = await query.PageAsync(researcher, new PageRequest(0, 25, Search: "%_"), CancellationToken.None);
        var second = await query.PageAsync(researcher, new PageRequest(1, 1, ProjectListQuery.Columns.Name, Search: "safety"), CancellationToken.None);
        var byOpen = await query.PageAsync(researcher, new PageRequest(0, 25, ProjectListQuery.Columns.Open, Descending: true), CancellationToken.None);

        safety.Items.Select(p => p.Slug).ShouldBe(["beta", "alpha"]);
        literal.Items.Select(p => p.Slug).ShouldBe(["literal"]);
        (second.Total, second.Items.Single().Slug).ShouldBe((2, "beta"));
        byOpen.Items[0].Slug.ShouldBe(DemoSeeder.ProjectSlug);
    }

    [Fact]
    public async Task Page_Annotator_IsRefused()
    {
        await Should.ThrowAsync<AccessRefusedException>(async () =>
            await Service<ProjectListQuery>().PageAsync(await AsAsync("Annotator"), new PageRequest(0, 25), CancellationToken.None));
    }
}
