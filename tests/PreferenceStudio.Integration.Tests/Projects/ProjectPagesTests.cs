using PreferenceStudio.Integration.Tests.Web;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Accounts;
using PreferenceStudio.Web.Projects;
using PreferenceStudio.Web.Security;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Projects;

/// <summary>A researcher sets up a project and loads data into it through the use cases the pages call.</summary>
public class ProjectPagesTests : UseCaseTest
{
    private const string GoodFile = """
        {"id": "q1", "prompt": "Why is the sky blue?", "responses": [{"text": "Rayleigh scattering.", "model": "m1"}, {"text": "<script>alert(1)</script>", "model": "m2"}]}
        {"id": "q2", "conversation": [{"role": "user", "content": "Rank these."}], "responses": [{"text": "a", "model": "m1"}, {"text": "b", "model": "m2"}, {"text": "c", "model": "m3"}], "kinds": ["ranking", "principle"]}
        """;

    private async Task<ImportResult> ImportAsync(string content, string role = "Researcher") =>
        await Service<PromptImporter>().ImportAsync(await AsAsync(role), await DemoProjectIdAsync(), new MemoryStream(Encoding.UTF8.GetBytes(content)), CancellationToken.None);

    private static ProjectSetupForm Form(string slug) => new() { Name = "Safety review", Slug = slug, Overlap = 3, LeaseMinutes = 15, GoldRate = 0.05 };

    [Fact]
    public async Task ProjectPage_UnknownSlug_Is404NotAServerError()
    {
        var researcher = await SignedInAsync("Researcher");
        var response = await researcher.GetAsync("/projects/no-such-slug");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    // q1 (2 responses, the demo project's default kinds): 1 pairwise + 2 span + 2 principle; q2: 1 ranking + 3 principle.
    [Fact]
    public async Task Import_ValidFile_StoresPromptsResponsesAndOneTaskPerKindAndResponse()
    {
        var result = await ImportAsync(GoodFile);

        result.Errors.ShouldBeEmpty();
        (result.Prompts, result.Responses, result.Tasks).ShouldBe((2, 5, 9));
        await using var db = Database.CreateContext();
        var q2 = await db.Prompts.Include(p => p.Responses).SingleAsync(p => p.ExternalId == "q2");
        q2.Responses.Count.ShouldBe(3);
        var kinds = await db.Tasks.Where(t => t.PromptId == q2.Id).Select(t => t.Kind).ToListAsync();
        kinds.Order().ShouldBe([TaskKind.Ranking, TaskKind.Principle, TaskKind.Principle, TaskKind.Principle]);
    }

    [Fact]
    public async Task Import_SameFileAgain_SkipsWhatIsThere()
    {
        await ImportAsync(GoodFile);

        var again = await ImportAsync(GoodFile);

        again.Prompts.ShouldBe(0);
        again.SkippedIds.ShouldBe(["q1", "q2"]);
        await using var db = Database.CreateContext();
        (await db.Prompts.CountAsync(p => p.ExternalId == "q1")).ShouldBe(1);
    }

    [Fact]
    public async Task Import_FileWithABadLine_StoresNothingAndSaysWhere()
    {
        await using var before = Database.CreateContext();
        var prompts = await before.Prompts.CountAsync();
        var bad = GoodFile + "\n" + """{"id": "q3", "prompt": "Q", "responses": [{"text": "A"}]}""";

        var result = await ImportAsync(bad);

        result.Succeeded.ShouldBeFalse();
        result.Errors.Select(e => e.ToString()).ShouldContain(e => e.StartsWith("line 3, responses[0].model: must name the model or source that wrote it", StringComparison.Ordinal));
        await using var after = Database.CreateContext();
        (await after.Prompts.CountAsync()).ShouldBe(prompts);
    }

    [Fact]
    public async Task Import_Annotator_IsRefusedAndStoresNothing()
    {
        await Should.ThrowAsync<AccessRefusedException>(() => ImportAsync(GoodFile, "Annotator"));

        await using var db = Database.CreateContext();
        (await db.Prompts.AnyAsync(p => p.ExternalId == "q1")).ShouldBeFalse();
    }

    [Fact]
    public async Task NewProject_ValidForm_CreatesItWithPrinciplesAndLabels()
    {
        var form = Form("safety");
        (form.Principle, form.Span) = (true, true);
        form.Principles = "harmless: The response causes no harm.\nhonest: The response states uncertainty.";
        form.SpanLabels = "unsafe | Unsafe | Could cause harm";

        var outcome = await Service<ProjectCreator>().CreateAsync(await AsAsync("Researcher"), form, CancellationToken.None);

        outcome.Errors.ShouldBeEmpty();
        outcome.Slug.ShouldBe("safety");
        await using var db = Database.CreateContext();
        var project = await db.Projects.SingleAsync(p => p.Slug == "safety");
        project.Kinds.ShouldBe(FeedbackKinds.Pairwise | FeedbackKinds.Span | FeedbackKinds.Principle);
        project.Overlap.ShouldBe(3);
        project.Principles.Select(p => p.Key).ShouldBe(["harmless", "honest"]);
        project.SpanLabels.Single().Name.ShouldBe("Unsafe");
    }

    [Fact]
    public async Task NewProject_PrincipleFeedbackWithoutPrinciples_IsRefusedAtThePrinciplesField()
    {
        var form = Form("no-principles");
        form.Principle = true;

        var outcome = await Service<ProjectCreator>().CreateAsync(await AsAsync("Researcher"), form, CancellationToken.None);

        outcome.Errors.ShouldBe([new FieldError(nameof(ProjectSetupForm.Principles), "Principle feedback needs at least one principle.")]);
        await using var db = Database.CreateContext();
        (await db.Projects.AnyAsync(p => p.Slug == "no-principles")).ShouldBeFalse();
    }

    [Fact]
    public async Task NewProject_SlugTaken_IsRefusedAtTheSlugField()
    {
        var outcome = await Service<ProjectCreator>().CreateAsync(await AsAsync("Researcher"), Form(DemoSeeder.ProjectSlug), CancellationToken.None);

        outcome.Errors.Single().Field.ShouldBe(nameof(ProjectSetupForm.Slug));
        outcome.Errors.Single().Message.ShouldContain("exists already");
    }

    [Fact]
    public async Task NewProject_NulInGuidelines_IsRefusedAtThatFieldAndStoresNoProject()
    {
        var form = Form("nul-project");
        form.Guidelines = "Read\0me";

        var outcome = await Service<ProjectCreator>().CreateAsync(await AsAsync("Researcher"), form, CancellationToken.None);

        outcome.Errors.Single().Field.ShouldBe(nameof(ProjectSetupForm.Guidelines));
        outcome.Errors.Single().Message.ShouldContain("NUL");
        await using var db = Database.CreateContext();
        (await db.Projects.AnyAsync(p => p.Slug == "nul-project")).ShouldBeFalse();
    }

    [Fact]
    public async Task NewProject_Annotator_IsRefusedAndStoresNoProject()
    {
        await Should.ThrowAsync<AccessRefusedException>(async () =>
            await Service<ProjectCreator>().CreateAsync(await AsAsync("Annotator"), Form("sneaky"), CancellationToken.None));

        await using var db = Database.CreateContext();
        (await db.Projects.AnyAsync(p => p.Slug == "sneaky")).ShouldBeFalse();
    }

    [Fact]
    public async Task NewProject_ResearcherLockedByAnAdminSinceSignIn_IsRefused()
    {
        var researcher = await AsAsync("Researcher");
        (await Service<AccountService>().SetLockedAsync(await AccountIdAsync("Researcher"), locked: true, await AccountIdAsync("Admin"))).ShouldBeNull();

        var refused = await Should.ThrowAsync<AccessRefusedException>(() => Service<ProjectCreator>().CreateAsync(researcher, Form("locked"), CancellationToken.None));

        refused.Message.ShouldContain("locked");
        await using var db = Database.CreateContext();
        (await db.Projects.AnyAsync(p => p.Slug == "locked")).ShouldBeFalse();
    }

    /// <summary>Wrong passwords typed by someone else stop new sign-ins only: they must not end the owner's work.</summary>
    [Fact]
    public async Task NewProject_ResearcherLockedOutByWrongPasswordsSinceSignIn_IsStillAllowed()
    {
        var researcher = await AsAsync("Researcher");
        await using (var db = Database.CreateContext())
        {
            var account = await db.Users.SingleAsync(u => u.Email == Account("Researcher").Email);
            account.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(15);
            await db.SaveChangesAsync();
        }

        var outcome = await Service<ProjectCreator>().CreateAsync(researcher, Form("still-mine"), CancellationToken.None);

        outcome.Errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task ProjectPages_Annotator_Returns403()
    {
        var annotator = await SignedInAsync("Annotator");
        (await annotator.GetAsync("/projects")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.GetAsync("/projects/new")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.GetAsync($"/projects/{DemoSeeder.ProjectSlug}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ProjectPage_Researcher_RendersTheProjectWithItsKindsByName()
    {
        var researcher = await SignedInAsync("Researcher");
        var html = await researcher.PageAsync($"/projects/{DemoSeeder.ProjectSlug}");
        html.ShouldContain("Demo: helpful and honest answers");
        html.ShouldContain("data-testid=\"progress-Pairwise\"");
        html.ShouldContain("data-testid=\"progress-Principle\"");
    }
}
