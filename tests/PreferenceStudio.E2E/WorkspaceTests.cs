using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

public sealed class WorkspaceTests : BrowserTest
{
    [Fact]
    public async Task Annotator_LabelsOneTaskOfEachKindAndEditsThePrevious_DatabaseHoldsExactlyThat()
    {
        await SignInAsync();
        await Page.GotoAsync($"/annotate/{DemoSeeder.ProjectSlug}");
        await Page.GetByTestId("intro").WaitForAsync();
        await Page.GetByText("Start labelling").ClickAsync();
        await Page.GetByTestId("workspace").WaitForAsync();
        // Survives only if every next task below is swapped in by htmx rather than loaded as a new document.
        await Page.EvaluateAsync("() => { window.sameDocument = true; }");

        var done = new Dictionary<TaskKind, long>();
        var expected = new Dictionary<TaskKind, Func<Annotation, bool>>();
        for (var i = 0; i < 12 && done.Count < 4; i++)
        {
            var workspace = Page.GetByTestId("workspace");
            await workspace.WaitForAsync();
            var kind = Enum.Parse<TaskKind>(await workspace.GetAttributeAsync("data-kind") ?? "", ignoreCase: true);
            var taskId = long.Parse(await workspace.GetAttributeAsync("data-task-id") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            if (done.ContainsKey(kind))
            {
                await Page.Keyboard.PressAsync("s");
                await Page.ClickAsync("[data-action=confirm-skip]");
                await WaitForNextTaskAsync(taskId);
                continue;
            }
            await ScreenshotAsync(kind.ToString().ToLowerInvariant());
            expected[kind] = await AnswerAsync(kind, edit: false);
            await WaitForNextTaskAsync(taskId);
            done[kind] = taskId;
        }
        done.Keys.Order().ShouldBe([TaskKind.Pairwise, TaskKind.Ranking, TaskKind.Span, TaskKind.Principle]);
        (await Page.EvaluateAsync<bool>("() => window.sameDocument === true")).ShouldBeTrue();

        // Back to the previous answer (the last task labelled) and change it.
        await Page.Keyboard.PressAsync("p");
        await Page.GetByTestId("editing").WaitForAsync();
        var editedKind = Enum.Parse<TaskKind>(await Page.GetByTestId("workspace").GetAttributeAsync("data-kind") ?? "", ignoreCase: true);
        var editedTask = long.Parse(await Page.GetByTestId("workspace").GetAttributeAsync("data-task-id") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        editedTask.ShouldBe(done[editedKind]);
        var edited = await AnswerAsync(editedKind, edit: true);
        await Page.GetByTestId("editing").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        new Uri(Page.Url).AbsolutePath.ShouldBe($"/annotate/{DemoSeeder.ProjectSlug}");

        await using var db = Database.CreateContext();
        var me = await db.Users.Where(u => u.Email == "annotator@demo.local").Select(u => u.Id).SingleAsync();
        var mine = await db.Annotations.Where(a => a.AnnotatorId == me).ToListAsync();
        mine.Count.ShouldBe(5);
        var current = mine.Where(a => a.IsCurrent).ToList();
        current.Count.ShouldBe(4);
        foreach (var (kind, taskId) in done)
        {
            var label = current.Single(a => a.TaskId == taskId);
            label.Kind.ShouldBe(kind);
            label.TimeSpentMs.ShouldBeGreaterThan(0);
            (kind == editedKind ? edited : expected[kind])(label).ShouldBeTrue($"{kind} label on task {taskId} is not what was entered");
        }
        var versions = mine.Where(a => a.TaskId == editedTask).OrderBy(a => a.Version).ToList();
        versions.Select(v => (v.Version, v.IsCurrent)).ShouldBe([(1, false), (2, true)]);
        expected[editedKind](versions[0]).ShouldBeTrue("the first version is kept as it was");
        (await db.Assignments.CountAsync(a => a.AnnotatorId == me && a.State == AssignmentState.Submitted)).ShouldBe(4);
        ConsoleErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Workspace_ResponseWithScriptAndImgOnerror_RendersAsTextAndRunsNothing()
    {
        const string Payload = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\"> done";
        await using (var db = Database.CreateContext())
        {
            var project = new Project("XSS check", "xss", FeedbackKinds.Pairwise);
            project.WriteGuidelines("Read <script>window.__xss = 3</script> and [a link](javascript:window.__xss=4).");
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            var prompt = new Prompt(project.Id, [new ChatTurn("user", "<img src=x onerror=\"window.__xss = 5\">Which is better?")]);
            prompt.AddResponse(Payload, "evil-model");
            prompt.AddResponse("A plain answer.", "model-b");
            db.Prompts.Add(prompt);
            await db.SaveChangesAsync();
            db.Tasks.Add(new AnnotationTask(project, prompt.Id, TaskKind.Pairwise, prompt.Responses.Select(r => r.Id).ToList()));
            await db.SaveChangesAsync();
        }
        var dialogs = 0;
        Page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await SignInAsync();

        await Page.GotoAsync("/annotate/xss?start=true");
        await Page.GetByTestId("workspace").WaitForAsync();
        await Page.Keyboard.PressAsync("g");
        await Page.Locator("#guidelines").WaitForAsync();
        await ScreenshotAsync("xss");

        (await Page.EvaluateAsync<bool>("() => window.__xss === undefined")).ShouldBeTrue();
        dialogs.ShouldBe(0);
        (await Page.Locator(".response-text").AllTextContentsAsync()).ShouldContain(Payload);
        (await Page.Locator(".workspace img, .workspace script, .guidelines-body script").CountAsync()).ShouldBe(0);
        (await Page.Locator(".guidelines-body").InnerTextAsync()).ShouldContain("<script>window.__xss = 3</script>");
        (await Page.Locator(".guidelines-body a").GetAttributeAsync("href")).ShouldBe("#");
    }

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
        await Page.GotoAsync("/annotate/emoji?start=true");
        await Page.GetByTestId("workspace").WaitForAsync();
        var start = Text.IndexOf("cafe", StringComparison.Ordinal);
        var end = Text.IndexOf(" are", StringComparison.Ordinal); // "café 👩‍👩‍👧": a combining accent and a ZWJ family

        var box = await Page.EvaluateAsync<float[]>("""
            ([s, e]) => {
              const node = document.querySelector('.span-text').firstChild;
              const r = document.createRange(); r.setStart(node, s); r.setEnd(node, e);
              const rects = r.getClientRects();
              const first = rects[0], last = rects[rects.length - 1];
              return [first.left, first.top + first.height / 2, last.right, last.top + last.height / 2];
            }
            """, new[] { start, end });
        await Page.Mouse.MoveAsync(box[0] + 1, box[1]);
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync(box[2] - 1, box[3], new() { Steps = 5 });
        await Page.Mouse.UpAsync();
        await Page.Locator("#span-popover").WaitForAsync();
        await Page.ClickAsync("#span-save");
        (await Page.Locator(".span-mark").TextContentAsync()).ShouldBe(Text[start..end]);
        await Page.ClickAsync("[data-action=submit]");
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
        await Page.ClickAsync("#span-remove");
        (await Page.Locator(".span-mark").CountAsync()).ShouldBe(0);
        await Page.Keyboard.PressAsync("Enter");
        await Page.GetByTestId("queue-message").WaitForAsync();
        await using var after = Database.CreateContext();
        var versions = await after.SpanAnnotations.OrderBy(a => a.Version).ToListAsync();
        versions.Select(v => (v.Version, v.Spans.Count, v.IsCurrent)).ShouldBe([(1, 1, false), (2, 0, true)]);
        ConsoleErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Submit_ResponseLostOnTheWayBack_BrowserRetriesWithTheSameKeyAndOneLabelIsStored()
    {
        await SignInAsync();
        await Page.GotoAsync($"/annotate/{DemoSeeder.ProjectSlug}?start=true");
        var workspace = Page.GetByTestId("workspace");
        await workspace.WaitForAsync();
        var taskId = long.Parse(await workspace.GetAttributeAsync("data-task-id") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var posts = 0;
        await Page.RouteAsync("**/api/annotate/**", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }
            posts++;
            if (posts == 1)
            {
                await route.FetchAsync(); // the server stores the label...
                await route.AbortAsync("connectionreset"); // ...and the answer never arrives
                return;
            }
            await route.ContinueAsync();
        });
        var kind = Enum.Parse<TaskKind>(await workspace.GetAttributeAsync("data-kind") ?? "", ignoreCase: true);

        await AnswerAsync(kind, edit: false);
        await Page.WaitForFunctionAsync("() => document.getElementById('workspace')?.dataset.saved === 'already'");

        posts.ShouldBe(2);
        await using var db = Database.CreateContext();
        (await db.Annotations.CountAsync(a => a.TaskId == taskId)).ShouldBe(1);
        (await db.Tasks.SingleAsync(t => t.Id == taskId)).CompletedAnnotations.ShouldBe(1);
    }

    private async Task WaitForNextTaskAsync(long previousTaskId)
    {
        await Page.WaitForFunctionAsync(
            "id => { const w = document.getElementById('workspace'); return document.readyState === 'complete' && (!w || (w.dataset.taskId !== String(id) && w.dataset.ready && !w.dataset.saved)); }",
            previousTaskId);
    }

    /// <summary>Answers the task on the page with keyboard and mouse; returns a check of the label the database must hold.</summary>
    private async Task<Func<Annotation, bool>> AnswerAsync(TaskKind kind, bool edit) => kind switch
    {
        TaskKind.Pairwise => await PairwiseAsync(edit),
        TaskKind.Ranking => await RankingAsync(edit),
        TaskKind.Span => await SpanAsync(edit),
        _ => await PrincipleAsync(edit),
    };

    private async Task<Func<Annotation, bool>> PairwiseAsync(bool edit)
    {
        var view = Page.Locator("[data-view=pairwise]");
        var a = int.Parse(await view.GetAttributeAsync("data-a") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await Page.Keyboard.PressAsync(edit ? "5" : "2");
        if (!edit)
        {
            await Page.Keyboard.PressAsync("ArrowRight"); // 2 -> 3 (tie)
            await Page.Keyboard.PressAsync("ArrowLeft");  // back to 2 (A better)
        }
        await Page.FillAsync("#rationale", edit ? "B is clearer after all." : "A is right.");
        await Page.Locator("#pref0").FocusAsync(); // leave the textarea so Enter submits
        await Page.Keyboard.PressAsync(edit ? "5" : "2");
        await Page.Keyboard.PressAsync("Enter");
        var preference = edit ? PairwisePreference.BMuchBetter : PairwisePreference.ABetter;
        var rationale = edit ? "B is clearer after all." : "A is right.";
        return label => label is PairwiseAnnotation p && p.ResponseAId == a && p.Preference == preference && p.Rationale == rationale && p.ShownOrder[0] == a;
    }

    private async Task<Func<Annotation, bool>> RankingAsync(bool edit)
    {
        var items = Page.Locator("#ranking .ranking-item");
        var count = await items.CountAsync();
        if (!edit)
        {
            // Mouse: drag the last response to the top.
            var last = await items.Nth(count - 1).GetAttributeAsync("data-response-id");
            await DragAsync(items.Nth(count - 1).Locator(".card-header"), items.Nth(0).Locator(".card-header"));
            (await items.Nth(0).GetAttributeAsync("data-response-id")).ShouldBe(last, "drag and drop moved the last response to the top");
        }
        // Keyboard: select the first and move it down one place.
        await items.Nth(0).FocusAsync();
        await Page.Keyboard.PressAsync("Shift+ArrowDown");
        if (!edit)
            await Page.Keyboard.PressAsync("t"); // the demo project allows ties: the moved response ties with the new first
        var order = new List<int>();
        for (var i = 0; i < count; i++)
            order.Add(int.Parse(await items.Nth(i).GetAttributeAsync("data-response-id") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
        var ranks = Enumerable.Range(1, count).Select(rank => !edit && rank == 2 ? 1 : rank).ToList();
        await Page.Keyboard.PressAsync("Enter");
        return label => label is RankingAnnotation r &&
            order.Select((id, i) => r.Entries.Single(e => e.ResponseId == id).Rank == ranks[i]).All(ok => ok);
    }

    private async Task DragAsync(ILocator from, ILocator to)
    {
        var a = (await from.BoundingBoxAsync())!;
        var b = (await to.BoundingBoxAsync())!;
        await Page.Mouse.MoveAsync(a.X + 10, a.Y + a.Height / 2);
        await Page.Mouse.DownAsync();
        for (var step = 1; step <= 10; step++)
            await Page.Mouse.MoveAsync(a.X + 10, a.Y + a.Height / 2 + (b.Y + 5 - a.Y - a.Height / 2) * step / 10);
        await Page.Mouse.UpAsync();
    }

    private async Task<Func<Annotation, bool>> SpanAsync(bool edit)
    {
        var text = Page.Locator(".span-text").First;
        var responseId = int.Parse(await text.GetAttributeAsync("data-response-id") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        if (edit)
        {
            // Remove the marked span, flag the response instead.
            await Page.Locator("#span-list button", new() { HasText = "Remove" }).First.ClickAsync();
            await Page.Locator(".response-flag[value=off-topic]").First.CheckAsync();
            await Page.ClickAsync("[data-action=submit]");
            return label => label is SpanAnnotation s && s.Spans.Count == 0 &&
                s.Flags.Select(f => f.Flag).Order().SequenceEqual(["incomplete", "off-topic"]);
        }
        var content = await text.TextContentAsync() ?? "";
        // The second word, selected by dragging the mouse across it.
        var start = content.IndexOf(' ', StringComparison.Ordinal) + 1;
        var end = content.IndexOf(' ', start);
        if (end < 0) end = content.Length;
        var box = await Page.EvaluateAsync<float[]>("""
            ([s, e]) => {
              const node = document.querySelector('.span-text').firstChild;
              const r = document.createRange(); r.setStart(node, s); r.setEnd(node, e);
              const b = r.getClientRects()[0];
              return [b.left, b.right, b.top + b.height / 2];
            }
            """, new[] { start, end });
        await Page.Mouse.MoveAsync(box[0] + 1, box[2]);
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync((box[0] + box[1]) / 2, box[2]);
        await Page.Mouse.MoveAsync(box[1] - 1, box[2]);
        await Page.Mouse.UpAsync();
        await Page.Locator("#span-popover").WaitForAsync();
        await Page.SelectOptionAsync("#span-severity", "3");
        await Page.FillAsync("#span-comment", "wrong <b>word</b>");
        await Page.Keyboard.PressAsync("Enter");
        await Page.Locator(".span-mark").WaitForAsync();
        await ScreenshotAsync("span-marked");
        await Page.Locator(".response-flag[value=incomplete]").First.CheckAsync();
        await Page.ClickAsync("[data-action=submit]");
        return label => label is SpanAnnotation s && s.Spans.Count == 1 &&
            s.Spans[0].ResponseId == responseId && s.Spans[0].Start == start && s.Spans[0].End == end &&
            s.Spans[0].Severity == Severity.Critical && s.Spans[0].Comment == "wrong <b>word</b>" &&
            s.Flags.Single().Flag == "incomplete";
    }

    private async Task<Func<Annotation, bool>> PrincipleAsync(bool edit)
    {
        var rows = Page.Locator(".principle-row");
        var count = await rows.CountAsync();
        await rows.Nth(0).FocusAsync();
        var keys = new[] { "y", "n", "a" };
        var expected = new List<(int Response, int Principle, Verdict Verdict)>();
        for (var i = 0; i < count; i++)
        {
            var key = keys[(i + (edit ? 1 : 0)) % 3];
            await Page.Keyboard.PressAsync(key);
            expected.Add((
                int.Parse(await rows.Nth(i).GetAttributeAsync("data-response-id") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(await rows.Nth(i).GetAttributeAsync("data-principle-id") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                key switch { "y" => Verdict.Yes, "n" => Verdict.No, _ => Verdict.NotApplicable }));
        }
        await Page.Locator(".principle-row .evidence").First.FillAsync("cites the source");
        await Page.Keyboard.PressAsync("Enter");
        return label => label is PrincipleAnnotation p && p.Verdicts.Count == count &&
            expected.All(e => p.Verdicts.Any(v => v.ResponseId == e.Response && v.PrincipleId == e.Principle && v.Verdict == e.Verdict)) &&
            p.Verdicts.Count(v => v.Evidence == "cites the source") == 1;
    }
}
