using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>A researcher sets up a project, imports into it and reads it back, in the browser.</summary>
public sealed class ProjectsTests : BrowserTest
{
    // A circuit's first render and a page load after navigation take seconds when ./test runs projects side by side.
    public ProjectsTests() => Assertions.SetDefaultExpectTimeout(15_000);

    private const string Researcher = "researcher@demo.local";

    [Fact]
    public async Task NewProject_ErrorsThenFixed_ShowsEachErrorAtItsFieldThenCreatesTheProject()
    {
        await SignInAsync(Researcher);
        await Page.OpenAsync("/projects/new");

        // A rule of the form (slug pattern), caught in the browser's circuit before anything is sent.
        await Page.GetByTestId("name").FillAsync("Safety review");
        await Page.GetByTestId("slug").FillAsync("Not A Slug");
        await Page.GetByTestId("create").ClickAsync();
        await Expect(Page.FieldControl("slug")).ToContainTextAsync("Use 1 to 64 characters of a-z, 0-9 and '-'.");

        // A rule of the use case (principle feedback needs principles), shown at the principles field.
        await Page.GetByTestId("slug").FillAsync("safety-review");
        await Page.GetByTestId("kind-principle").ClickAsync();
        await Page.GetByTestId("create").ClickAsync();
        await Expect(Page.FieldControl("principles")).ToContainTextAsync("Principle feedback needs at least one principle.");
        await Expect(Page.FieldControl("slug")).Not.ToContainTextAsync("Use 1 to 64");
        await using (var db = Database.CreateContext())
            (await db.Projects.AnyAsync(p => p.Slug == "safety-review")).ShouldBeFalse();

        await Page.GetByTestId("principles").FillAsync("harmless: The response causes no harm.");
        await Page.GetByTestId("create").ClickAsync();

        await Page.WaitForURLAsync("**/projects/safety-review");
        await Expect(Page.GetByTestId("project-name")).ToHaveTextAsync("Safety review");
        await using var check = Database.CreateContext();
        var project = await check.Projects.SingleAsync(p => p.Slug == "safety-review");
        project.Kinds.ShouldBe(FeedbackKinds.Pairwise | FeedbackKinds.Principle);
        project.Principles.Single().Key.ShouldBe("harmless");
    }

    [Fact]
    public async Task Import_FileWithErrors_ListsEveryErrorWithLineAndFieldAndStoresNothing()
    {
        int prompts;
        await using (var db = Database.CreateContext())
            prompts = await db.Prompts.CountAsync();
        var file = await ProjectsPage.WriteTempFileAsync("""
            {"id": "ok", "prompt": "Fine?", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}]}
            {"id": "e1", "prompt": "No model", "responses": [{"text": "A"}, {"text": "B", "model": "m"}]}
            not json at all
            {"id": "e3", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}]}
            """);
        await SignInAsync(Researcher);
        await Page.OpenAsync($"/projects/{DemoSeeder.ProjectSlug}");

        await Page.UploadAsync(file);

        var rows = Page.GetByTestId("import-error");
        await Expect(Page.GetByTestId("import-errors")).ToContainTextAsync("Nothing was stored.");
        var located = new List<(string Line, string Field, string Message)>();
        for (var i = 0; i < await rows.CountAsync(); i++)
            located.Add((await rows.Nth(i).GetByTestId("error-line").InnerTextAsync(), await rows.Nth(i).GetByTestId("error-field").InnerTextAsync(),
                await rows.Nth(i).GetByTestId("error-message").InnerTextAsync()));
        located.Select(e => e.Line).ShouldBe(["2", "3", "4"], string.Join("\n", located));
        located[0].Field.ShouldBe("responses[0].model");
        located[0].Message.ShouldStartWith("must name the model or source that wrote it");
        located[1].Message.ShouldStartWith("not valid JSON");
        located[2].Message.ShouldNotBeNullOrWhiteSpace();
        await using var check = Database.CreateContext();
        (await check.Prompts.CountAsync()).ShouldBe(prompts);
        File.Delete(file);
    }

    [Fact]
    public async Task Import_GoodFileWithMarkupInIt_StoresItShowsTheMarkupAsTextAndTheListNamesTheKinds()
    {
        var dialogs = 0;
        Page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        const string Hostile = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
        var file = await ProjectsPage.WriteTempFileAsync(
            $$"""{"id": "x1", "prompt": {{System.Text.Json.JsonSerializer.Serialize(Hostile)}}, "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}], "kinds": ["pairwise"]}""");
        await SignInAsync(Researcher);
        await Page.OpenAsync($"/projects/{DemoSeeder.ProjectSlug}");

        await Page.UploadAsync(file);

        await Expect(Page.GetByTestId("import-result")).ToContainTextAsync("Imported 1 prompt(s), 2 response(s) and 1 task(s).");
        await Page.GetByTestId("prompt-search").FillAsync("window.__xss");
        await Expect(Page.GetByTestId("prompt-text")).ToHaveCountAsync(1); // the search runs in SQL, after the grid's debounce
        await Expect(Page.GetByTestId("prompt-text")).ToHaveTextAsync(Hostile);
        (await Page.EvaluateAsync<bool>("() => window.__xss === undefined && !document.querySelector('[data-testid=prompt-grid] img, [data-testid=prompt-grid] script')")).ShouldBeTrue();
        dialogs.ShouldBe(0);
        await using (var db = Database.CreateContext())
            (await db.Prompts.SingleAsync(p => p.ExternalId == "x1")).LastUserMessage.ShouldBe(Hostile);
        await Page.ReadmeScreenshotAsync("project");

        await Page.OpenAsync("/projects");
        var demo = Page.Locator("tr").Filter(new() { Has = Page.GetByTestId($"project-{DemoSeeder.ProjectSlug}") });
        await using var count = Database.CreateContext();
        var pairwise = await count.Tasks.CountAsync(t => t.Kind == TaskKind.Pairwise && count.Projects.Any(p => p.Id == t.ProjectId && p.Slug == DemoSeeder.ProjectSlug));
        await Expect(demo.GetByTestId("kind-Pairwise")).ToHaveTextAsync($"Pairwise · {pairwise}");
        await Expect(demo.GetByTestId("kind-Principle")).ToContainTextAsync("Principle · ");
        (await demo.InnerTextAsync()).ShouldNotContain(" 15");
        File.Delete(file);
    }

    [Fact]
    public async Task Guidelines_ScriptAndOnerror_AreSavedAfterConfirmingAndShownAsText()
    {
        var dialogs = 0;
        Page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        const string Hostile = "Be kind. <script>window.__xss=1</script> <img src=x onerror=\"window.__xss=2\">";
        await SignInAsync(Researcher);
        await Page.OpenAsync($"/projects/{DemoSeeder.ProjectSlug}");

        await Page.GetByTestId("guidelines-text").FillAsync(Hostile);
        await Page.GetByTestId("guidelines-save").ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Replace" }).ClickAsync();
        await Expect(Page.GetByText("Guidelines saved.")).ToBeVisibleAsync();
        await Page.GetByTestId("guidelines-preview-toggle").ClickAsync();

        await Expect(Page.GetByTestId("guidelines-preview")).ToContainTextAsync("<script>window.__xss=1</script>");
        (await Page.GetByTestId("guidelines-preview").Locator("script, img").CountAsync()).ShouldBe(0);
        (await Page.EvaluateAsync<bool>("() => window.__xss === undefined")).ShouldBeTrue();
        dialogs.ShouldBe(0);
        await using var db = Database.CreateContext();
        (await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug)).GuidelinesMarkdown.ShouldBe(Hostile);
    }

    [Fact]
    public async Task ProjectPages_Annotator_AreDeniedByAddressAndInsideTheCircuit()
    {
        await SignInAsync();
        foreach (var path in new[] { "/projects", "/projects/new", $"/projects/{DemoSeeder.ProjectSlug}", $"/projects/{DemoSeeder.ProjectSlug}/quality" })
        {
            var response = await Page.GotoAsync(path);
            response!.Status.ShouldBe(403, path);
            (await Page.GetByTestId("import-panel").CountAsync()).ShouldBe(0, path);
        }
        ConsoleErrors.Clear(); // the 403s above, on purpose

        // Navigating inside the live circuit goes through the router's authorization, not the HTTP pipeline.
        await Page.OpenAsync("/");
        await Page.EvaluateAsync($"() => Blazor.navigateTo('/projects/{DemoSeeder.ProjectSlug}')");
        await Page.WaitForURLAsync($"**/projects/{DemoSeeder.ProjectSlug}");
        await Page.WaitForTimeoutAsync(500);
        (await Page.GetByTestId("import-panel").CountAsync()).ShouldBe(0);
        (await Page.GetByTestId("project-name").CountAsync()).ShouldBe(0);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
