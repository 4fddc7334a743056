using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.E2E;

/// <summary>Span offsets measured by the browser are the offsets .NET stores, whatever the text holds.</summary>
public sealed class WorkspaceSpanOffsetTests : BrowserTest
{
    [Fact]
    public async Task SpanView_SelectionAfterEmojiAndCombiningMarks_StoresTheSameUtf16OffsetsAsDotNet()
    {
        const string Text = "Pizza 🍕 and cafe\u0301 👩‍👩‍👧 are good.";
        await using (var db = Database.CreateContext())
        {
            var project = new Project("Emoji spans", "emoji", FeedbackKinds.Span);
            project.AddSpanLabel("wrong", "Wrong", "Not true");
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            var prompt = new Prompt(project.Id, [new ChatTurn("user", "Say something about food.")]);
            prompt.AddResponse(Text, "model-a");
            db.Prompts.Add(prompt);
            await db.SaveChangesAsync();
            db.Tasks.Add(new AnnotationTask(project, prompt.Id, TaskKind.Span, [prompt.Responses[0].Id]));
            await db.SaveChangesAsync();
        }
        await SignInAsync();
        var workspace = new WorkspacePage(Page);
        await workspace.OpenAsync("emoji");
        await workspace.Workspace.WaitForAsync();
        var start = Text.IndexOf("cafe", StringComparison.Ordinal);
        var end = Text.IndexOf(" are", StringComparison.Ordinal); // "café 👩‍👩‍👧": a combining accent and a ZWJ family

        await workspace.SelectTextAsync(Page.Locator(".span-text"), start, end);
        await Page.GetByTestId("span-editor").WaitForAsync();
        (await Page.GetByTestId("span-quote").TextContentAsync()).ShouldBe(Text[start..end]);
        await Page.GetByTestId("span-save").ClickAsync();
        (await Page.Locator(".span-mark").TextContentAsync()).ShouldBe(Text[start..end]);
        await Page.GetByTestId("submit").ClickAsync();
        await Page.GetByTestId("queue-message").WaitForAsync();

        await using (var check = Database.CreateContext())
        {
            var span = (await check.SpanAnnotations.SingleAsync()).Spans.Single();
            (span.Start, span.End).ShouldBe((start, end));
            Text[span.Start..span.End].ShouldBe("cafe\u0301 👩‍👩‍👧");
        }

        // Back to it: the stored span comes back highlighted at the same place; removing it stores version 2.
        await Page.Keyboard.PressAsync("p");
        await Page.GetByTestId("editing").WaitForAsync();
        (await Page.Locator(".span-mark").TextContentAsync()).ShouldBe(Text[start..end]);
        await Page.Locator(".span-mark").ClickAsync();
        await Page.GetByTestId("span-remove").ClickAsync();
        await Page.Locator(".span-mark").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await Page.Keyboard.PressAsync("Enter");
        await Page.GetByTestId("queue-message").WaitForAsync();
        await using var after = Database.CreateContext();
        var versions = await after.SpanAnnotations.OrderBy(a => a.Version).ToListAsync();
        versions.Select(v => (v.Version, v.Spans.Count, v.IsCurrent)).ShouldBe([(1, 1, false), (2, 0, true)]);
        ConsoleErrors.ShouldBeEmpty();
    }
}
