using System.Net;
using System.Text;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Projects;

/// <summary>A researcher sets up a project and loads data into it through the pages, as in a browser.</summary>
public class ProjectPagesTests : WebAppTest
{
    private const string GoodFile = """
        {"id": "q1", "prompt": "Why is the sky blue?", "responses": [{"text": "Rayleigh scattering.", "model": "m1"}, {"text": "<script>alert(1)</script>", "model": "m2"}]}
        {"id": "q2", "conversation": [{"role": "user", "content": "Rank these."}], "responses": [{"text": "a", "model": "m1"}, {"text": "b", "model": "m2"}, {"text": "c", "model": "m3"}], "kinds": ["ranking", "principle"]}
        """;

    private static async Task<HttpResponseMessage> PostImportAsync(HttpClient client, string slug, string content)
    {
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync($"/projects/{slug}"));
        var form = page.QuerySelector("form[enctype='multipart/form-data']")!;
        using var body = new MultipartFormDataContent();
        foreach (var hidden in form.QuerySelectorAll("input[type=hidden]"))
            body.Add(new StringContent(hidden.GetAttribute("value") ?? ""), hidden.GetAttribute("name")!);
        body.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(content)), "file", "prompts.jsonl");
        return await client.PostAsync($"/projects/{slug}", body);
    }

    // q1 (2 responses, the demo project's default kinds): 1 pairwise + 2 span + 2 principle; q2: 1 ranking + 3 principle.
    /// <summary>The new-project form's hidden fields (antiforgery, handler), ready for the test's own values.</summary>
    private static async Task<Dictionary<string, string>> NewProjectFormAsync(HttpClient client)
    {
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/projects/new"));
        return page.QuerySelector("input[name=_handler][value=new-project]")!.Closest("form")!
            .QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task ProjectPage_UnknownSlug_Is404NotAServerError()
    {
        var researcher = await SignedInAsync("Researcher");
        var response = await researcher.GetAsync("/projects/no-such-slug");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Import_ValidFile_StoresPromptsResponsesAndOneTaskPerKindAndResponse()
    {
        var researcher = await SignedInAsync("Researcher");

        var response = await PostImportAsync(researcher, DemoSeeder.ProjectSlug, GoodFile);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Imported 2 prompt(s), 5 response(s) and 9 task(s).");
        await using var db = Database.CreateContext();
        var q2 = await db.Prompts.Include(p => p.Responses).SingleAsync(p => p.ExternalId == "q2");
        q2.Responses.Count.ShouldBe(3);
        var kinds = await db.Tasks.Where(t => t.PromptId == q2.Id).Select(t => t.Kind).ToListAsync();
        kinds.Order().ShouldBe([TaskKind.Ranking, TaskKind.Principle, TaskKind.Principle, TaskKind.Principle]);
    }

    [Fact]
    public async Task Import_SameFileAgain_SkipsWhatIsThere()
    {
        var researcher = await SignedInAsync("Researcher");
        await PostImportAsync(researcher, DemoSeeder.ProjectSlug, GoodFile);

        var again = await (await PostImportAsync(researcher, DemoSeeder.ProjectSlug, GoodFile)).Content.ReadAsStringAsync();

        again.ShouldContain("Imported 0 prompt(s)");
        again.ShouldContain("Skipped 2 already imported: q1, q2.");
        await using var db = Database.CreateContext();
        (await db.Prompts.CountAsync(p => p.ExternalId == "q1")).ShouldBe(1);
    }

    [Fact]
    public async Task Import_FileWithABadLine_StoresNothingAndSaysWhere()
    {
        var researcher = await SignedInAsync("Researcher");
        await using var before = Database.CreateContext();
        var prompts = await before.Prompts.CountAsync();
        var bad = GoodFile + "\n" + """{"id": "q3", "prompt": "Q", "responses": [{"text": "A"}]}""";

        var html = await (await PostImportAsync(researcher, DemoSeeder.ProjectSlug, bad)).Content.ReadAsStringAsync();

        html.ShouldContain("Nothing was stored.");
        html.ShouldContain("line 3, responses[0].model: must name the model or source that wrote it");
        await using var after = Database.CreateContext();
        (await after.Prompts.CountAsync()).ShouldBe(prompts);
    }

    [Fact]
    public async Task NewProject_ValidForm_CreatesItWithPrinciplesAndLabels()
    {
        var researcher = await SignedInAsync("Researcher");
        var fields = await NewProjectFormAsync(researcher);
        fields["Form.Name"] = "Safety review";
        fields["Form.Slug"] = "safety";
        fields["Form.Pairwise"] = "true";
        fields["Form.Principle"] = "true";
        fields["Form.Span"] = "true";
        fields["Form.Overlap"] = "3";
        fields["Form.LeaseMinutes"] = "15";
        fields["Form.GoldRate"] = "0.05";
        fields["Form.Principles"] = "harmless: The response causes no harm.\nhonest: The response states uncertainty.";
        fields["Form.SpanLabels"] = "unsafe | Unsafe | Could cause harm";

        var response = await researcher.PostAsync("/projects/new", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/projects/safety");
        await using var db = Database.CreateContext();
        var project = await db.Projects.SingleAsync(p => p.Slug == "safety");
        project.Kinds.ShouldBe(FeedbackKinds.Pairwise | FeedbackKinds.Span | FeedbackKinds.Principle);
        project.Overlap.ShouldBe(3);
        project.Principles.Select(p => p.Key).ShouldBe(["harmless", "honest"]);
        project.SpanLabels.Single().Name.ShouldBe("Unsafe");
    }

    [Fact]
    public async Task NewProject_PrincipleFeedbackWithoutPrinciples_IsRefused()
    {
        var researcher = await SignedInAsync("Researcher");
        var fields = await NewProjectFormAsync(researcher);
        fields["Form.Name"] = "No principles";
        fields["Form.Slug"] = "no-principles";
        fields["Form.Principle"] = "true";
        fields["Form.Overlap"] = "1";
        fields["Form.LeaseMinutes"] = "15";
        fields["Form.GoldRate"] = "0";

        var html = await (await researcher.PostAsync("/projects/new", new FormUrlEncodedContent(fields))).Content.ReadAsStringAsync();

        html.ShouldContain("Principle feedback needs at least one principle.");
        await using var db = Database.CreateContext();
        (await db.Projects.AnyAsync(p => p.Slug == "no-principles")).ShouldBeFalse();
    }

    [Fact]
    public async Task ProjectPages_Annotator_Returns403()
    {
        var annotator = await SignedInAsync("Annotator");
        (await annotator.GetAsync("/projects")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.GetAsync($"/projects/{DemoSeeder.ProjectSlug}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ProjectList_Researcher_ShowsProgress()
    {
        var researcher = await SignedInAsync("Researcher");
        var html = await researcher.GetStringAsync("/projects");
        html.ShouldContain("Demo: helpful and honest answers");
        html.ShouldContain($"href=\"/projects/{DemoSeeder.ProjectSlug}\"");
    }
}
