using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>Each role's home says what to do next.</summary>
public sealed class HomeTests : BrowserTest
{
    // A circuit's first render and a page load after navigation take seconds when ./test runs projects side by side.
    public HomeTests() => Assertions.SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task Home_Annotator_ShowsTheWaitingCountAndStartOpensTheWorkspace()
    {
        await SignInAsync();
        await Page.OpenAsync("/");

        await using var db = Database.CreateContext();
        var me = await db.Users.Where(u => u.Email == "annotator@demo.local").Select(u => u.Id).SingleAsync();
        var waiting = await db.Tasks.CountAsync(t => db.Projects.Any(p => p.Id == t.ProjectId && p.Slug == DemoSeeder.ProjectSlug)
            && t.State == TaskState.Open && !db.Assignments.Any(a => a.TaskId == t.Id && a.AnnotatorId == me));
        waiting.ShouldBeGreaterThan(0);
        var card = Page.GetByTestId($"work-{DemoSeeder.ProjectSlug}");
        await Assertions.Expect(card.GetByTestId("waiting")).ToHaveTextAsync(waiting.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await Page.GetByTestId("admin-links").CountAsync()).ShouldBe(0);
        (await Page.GetByTestId("home-projects").CountAsync()).ShouldBe(0);

        await card.GetByTestId("start").ClickAsync();

        await Page.WaitForURLAsync($"**/annotate/{DemoSeeder.ProjectSlug}");
        new Uri(Page.Url).AbsolutePath.ShouldBe($"/annotate/{DemoSeeder.ProjectSlug}");
    }

    [Fact]
    public async Task Home_Researcher_ShowsProjectProgressRunsAndTheNewestModel()
    {
        await SignInAsync("researcher@demo.local");
        await Page.OpenAsync("/");

        await Assertions.Expect(Page.GetByTestId($"home-project-{DemoSeeder.ProjectSlug}")).ToContainTextAsync("tasks complete");
        await Assertions.Expect(Page.GetByTestId("home-model")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("home-runs")).ToBeVisibleAsync();
        (await Page.GetByTestId("admin-links").CountAsync()).ShouldBe(0);
        await Page.ReadmeScreenshotAsync("home-researcher");
    }

    [Fact]
    public async Task Home_Admin_LinksToUsersAndJobs()
    {
        await SignInAsync("admin@demo.local");
        await Page.OpenAsync("/");

        var links = Page.GetByTestId("admin-links");
        await Assertions.Expect(links.Locator("a[href='/admin/users']")).ToBeVisibleAsync();
        await Assertions.Expect(links.Locator("a[href='/admin/jobs']")).ToBeVisibleAsync();
    }
}
