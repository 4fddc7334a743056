namespace PreferenceStudio.E2E;

/// <summary>Untrusted text in the workspace: model output, prompts and guidelines stay text on the interactive page.</summary>
public sealed class WorkspaceSafetyTests : BrowserTest
{
    [Fact]
    public async Task Workspace_ScriptAndOnerrorInOutputAndGuidelines_RenderAsTextAndRunNothing()
    {
        const string Payload = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\"> done";
        await WorkspaceProjects.PairwiseAsync(Database, "xss",
            "Read <script>window.__xss = 3</script> and <img src=x onerror=\"window.__xss = 4\"> and [a link](javascript:window.__xss=5).",
            ("<img src=x onerror=\"window.__xss = 6\">Which is better?", Payload, "A plain answer."));
        var dialogs = 0;
        Page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await SignInAsync();

        await Page.GotoAsync("/annotate/xss");
        (await Page.GetByTestId("intro").InnerTextAsync()).ShouldContain("<script>window.__xss = 3</script>");
        await new WorkspacePage(Page).ReadyAsync();
        await Page.GetByTestId("start").ClickAsync();
        await Page.GetByTestId("workspace").WaitForAsync();
        await Page.Keyboard.PressAsync("g");
        await Page.Locator("#guidelines").WaitForAsync();

        (await Page.EvaluateAsync<bool>("() => window.__xss === undefined")).ShouldBeTrue();
        dialogs.ShouldBe(0);
        (await Page.Locator(".response-text").AllTextContentsAsync()).ShouldContain(Payload);
        (await Page.GetByTestId("conversation").InnerTextAsync()).ShouldContain("<img src=x onerror=\"window.__xss = 6\">");
        (await Page.Locator("[data-testid=workspace] img, [data-testid=workspace] script, #guidelines script, #guidelines img").CountAsync()).ShouldBe(0);
        (await Page.Locator("#guidelines").InnerTextAsync()).ShouldContain("<script>window.__xss = 3</script>");
        (await Page.Locator("#guidelines a").GetAttributeAsync("href")).ShouldBe("#");
        await Page.Keyboard.PressAsync("Escape");
        await Page.Locator("#guidelines").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });
        ConsoleErrors.ShouldBeEmpty();
    }
}
