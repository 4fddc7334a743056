using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>Untrusted Markdown and the Content-Security-Policy, in the browser annotators use.</summary>
public sealed class SecurityTests : BrowserTest
{
    /// <summary>Every way Markdown (and raw HTML, which is shown as text) can spell a link to script.</summary>
    private const string HostileGuidelines = """
        Autolinks: <javascript:window.__xss=1> <JAVASCRIPT:window.__xss=2> <vbscript:msgbox(1)> <data:text/html,hello>
        Inline: [plain](javascript:window.__xss=3) [mixed](JaVaScRiPt:window.__xss=4) [image ![i](javascript:window.__xss=5)](/x)
        Entities: [e1](&#106;avascript:window.__xss=6) [e2](javascript&#58;window.__xss=7) [e3](&#x4A;AVASCRIPT&colon;window.__xss=8)
        Whitespace: [tab](java&#9;script:window.__xss=9) [lf](java&#10;script:window.__xss=10) [cr](java&#13;script:window.__xss=11)
        [lead](&#32;javascript:window.__xss=12) [ctrl](&#1;javascript:window.__xss=13) [angle](<javascript:window.__xss=14>)
        Reference: [ref][r] and [collapsed][] and [shortcut]
        Raw: <a href="javascript:window.__xss=15">raw</a> <img src=x onerror="window.__xss=16"> <script>window.__xss=17</script>
        Allowed: [site](https://example.org/a) <https://example.org/b> <someone@example.org> [mail](mailto:x@example.org) [here](/annotate) [frag](#top)

        [r]: javascript:window.__xss=18
        [collapsed]: JAVASCRIPT:window.__xss=19
        [shortcut]: &#106;avascript:window.__xss=20
        """;

    [Fact]
    public async Task Guidelines_EveryMarkdownLinkForm_OnlyAllowedSchemesReachTheDomAndNoScriptRuns()
    {
        await AddProjectAsync("links", HostileGuidelines);
        var dialogs = 0;
        Page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await SignInAsync();

        await Page.GotoAsync("/annotate/links?start=true");
        await Page.GetByTestId("workspace").WaitForAsync();
        await Page.Keyboard.PressAsync("g");
        await Page.Locator("#guidelines").WaitForAsync();

        // The scheme each address has to the browser itself, after its own decoding and whitespace stripping.
        var links = await Page.EvaluateAsync<string[][]>("""
            () => [...document.querySelectorAll('#guidelines a, #guidelines img, #guidelines [src], #guidelines [href]')]
              .map(e => [e.textContent || e.getAttribute('alt') || '', (e.href || e.src) ? new URL(e.href || e.src).protocol : ''])
            """);
        links.Length.ShouldBeGreaterThan(20);
        links.Where(l => l[1] is not ("http:" or "https:" or "mailto:"))
            .Select(l => $"{l[0]} -> {l[1]}").ShouldBeEmpty("every address in the guidelines is http(s) or mailto");
        var hrefs = await Page.Locator("#guidelines a").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))");
        hrefs.ShouldContain("https://example.org/a");
        hrefs.ShouldContain("https://example.org/b");
        hrefs.ShouldContain("mailto:someone@example.org");
        hrefs.ShouldContain("/annotate");
        hrefs.ShouldContain("#top");
        (await Page.Locator("#guidelines").InnerTextAsync()).ShouldContain("<script>window.__xss=17</script>");

        // Clicking every neutralised link runs nothing. ("#" resolves against <base href="/"> to the start page: page
        // loads are stopped here so that every click lands in this document, where a javascript: URL would run.)
        await Page.RouteAsync("**/*", route => route.Request.IsNavigationRequest ? route.AbortAsync() : route.ContinueAsync());
        (await Page.EvaluateAsync<int>("() => { const as = [...document.querySelectorAll('#guidelines a[href=\"#\"]')]; as.forEach(a => a.click()); return as.length; }"))
            .ShouldBeGreaterThan(15);
        await Page.WaitForTimeoutAsync(300);
        (await Page.EvaluateAsync<bool>("() => window.__xss === undefined")).ShouldBeTrue();
        dialogs.ShouldBe(0);
    }

    [Fact]
    public async Task Csp_ScriptInjectedIntoAPage_IsRefusedAndReportedAsAViolation()
    {
        ExpectCspViolations();
        await SignInAsync();
        await Page.GotoAsync("/");

        // What an injection bug would do: an inline script, an event handler attribute and a javascript: URL.
        await Page.EvaluateAsync("""
            () => {
              const s = document.createElement('script'); s.textContent = 'window.__xss = 1'; document.body.append(s);
              const i = document.createElement('img'); i.setAttribute('onerror', 'window.__xss = 2'); i.src = 'data:,'; document.body.append(i);
              const a = document.createElement('a'); a.href = 'javascript:window.__xss = 3'; a.textContent = 'x'; a.id = 'evil'; document.body.append(a);
            }
            """);
        // Clicked by script: the link sits at the end of the body, under MudBlazor's fixed layout, where a pointer cannot reach it.
        await Page.EvalOnSelectorAsync("#evil", "a => a.click()");
        await Page.WaitForTimeoutAsync(300);

        (await Page.EvaluateAsync<bool>("() => window.__xss === undefined")).ShouldBeTrue();
        CspViolations.Count(v => v.StartsWith("script-src", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(3, string.Join("\n", CspViolations));
    }

    [Theory]
    [InlineData(25 * 1024 * 1024 + 1)] // one byte over
    [InlineData(29_000_000)] // over what a form post could have carried
    [InlineData(50_000_000)]
    public async Task Import_FileOverTheLimit_ShowsTheSameMessageAtAnySizeAndStoresNothing(int size)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ps-upload-{Guid.NewGuid():N}.jsonl");
        await using (var stream = File.Create(file))
            stream.SetLength(size);
        try
        {
            int prompts;
            await using (var db = Database.CreateContext())
                prompts = await db.Prompts.CountAsync();
            await SignInAsync("researcher@demo.local");
            await Page.OpenAsync($"/projects/{DemoSeeder.ProjectSlug}");

            // The browser announces the size with the file: the page refuses it before a byte travels over the circuit.
            await Page.UploadAsync(file);
            var message = Page.GetByTestId("error-message");
            await message.First.WaitForAsync(new() { Timeout = 60_000 });

            (await message.AllInnerTextsAsync()).ShouldBe(["The file is larger than 25 MiB, the most one upload takes: split it into smaller files."]);
            (await Page.GetByTestId("import-errors").InnerTextAsync()).ShouldContain("Nothing was stored.");
            await using var check = Database.CreateContext();
            (await check.Prompts.CountAsync()).ShouldBe(prompts);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task AddProjectAsync(string slug, string guidelines)
    {
        await using var db = Database.CreateContext();
        var project = new Project("Links " + slug, slug, FeedbackKinds.Pairwise);
        project.WriteGuidelines(guidelines);
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var prompt = new Prompt(project.Id, [new ChatTurn("user", "Which is better?")]);
        prompt.AddResponse("One answer.", "model-a");
        prompt.AddResponse("Another answer.", "model-b");
        db.Prompts.Add(prompt);
        await db.SaveChangesAsync();
        db.Tasks.Add(new AnnotationTask(project, prompt.Id, TaskKind.Pairwise, prompt.Responses.Select(r => r.Id).ToList()));
        await db.SaveChangesAsync();
    }
}
