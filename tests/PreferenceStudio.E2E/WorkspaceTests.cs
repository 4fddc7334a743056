using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>An annotator works through the demo project on the interactive page, by keyboard and by mouse.</summary>
public sealed class WorkspaceTests : BrowserTest
{
    private WorkspacePage Workspace => new(Page);

    [Fact]
    public async Task Annotator_LabelsOneTaskOfEachKindAndEditsThePrevious_DatabaseHoldsExactlyThat()
    {
        await SignInAsync();
        await Page.GotoAsync("/annotate");
        var card = Page.Locator($"[data-testid=annotate-project][data-slug={DemoSeeder.ProjectSlug}]");
        (await card.GetByTestId("waiting").InnerTextAsync()).ShouldMatch(@"^\d+ tasks wait for you\.$");
        await card.GetByText("Start").ClickAsync();
        await Workspace.ReadyAsync();
        await Page.GetByTestId("intro").WaitForAsync();
        // Survives only if every task below comes over the circuit rather than as a new document.
        await Page.EvaluateAsync("() => { window.sameDocument = true; }");
        await Page.Keyboard.PressAsync("Enter"); // the intro's "Start labelling"

        var done = new Dictionary<TaskKind, long>();
        var expected = new Dictionary<TaskKind, Func<Annotation, bool>>();
        for (var i = 0; i < 12 && done.Count < 4; i++)
        {
            await Workspace.Workspace.WaitForAsync();
            var kind = await Workspace.KindAsync();
            var taskId = await Workspace.TaskIdAsync();
            if (done.ContainsKey(kind))
            {
                await Page.Keyboard.PressAsync("s");
                await Page.GetByTestId("confirm-skip").ClickAsync();
                await Workspace.NextTaskAsync(taskId);
                continue;
            }
            if (done.Count == 0)
                await Page.ReadmeScreenshotAsync("workspace", fullPage: false);
            expected[kind] = await AnswerAsync(kind, edit: false);
            await Workspace.NextTaskAsync(taskId);
            done[kind] = taskId;
        }
        done.Keys.Order().ShouldBe([TaskKind.Pairwise, TaskKind.Ranking, TaskKind.Span, TaskKind.Principle]);
        (await Page.EvaluateAsync<bool>("() => window.sameDocument === true")).ShouldBeTrue();
        // The counts follow the next task onto the screen (the task first: that is what the annotator waits for).
        await Assertions.Expect(Page.GetByTestId("progress")).ToContainTextAsync("Done today: 4");

        // Back to the previous answer (the last task labelled), in place, and change it.
        await Page.Keyboard.PressAsync("p");
        try
        {
            await Page.GetByTestId("editing").WaitForAsync();
        }
        catch (TimeoutException)
        {
            var state = await Page.EvaluateAsync<string>("() => `focus: ${document.activeElement?.outerHTML.slice(0, 200)}; dialog: ${!!document.querySelector('.mud-dialog-container, .mud-overlay-dialog')}; previous button: ${!!document.querySelector('[data-testid=previous]')}; url: ${location.href}`");
            throw new Xunit.Sdk.XunitException("p did not open the previous answer: " + state);
        }
        var editedKind = await Workspace.KindAsync();
        var editedTask = await Workspace.TaskIdAsync();
        editedTask.ShouldBe(done[editedKind]);
        var edited = await AnswerAsync(editedKind, edit: true);
        await Page.GetByTestId("editing").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        new Uri(Page.Url).AbsolutePath.ShouldBe($"/annotate/{DemoSeeder.ProjectSlug}");
        (await Page.EvaluateAsync<bool>("() => window.sameDocument === true")).ShouldBeTrue();

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
    public async Task Annotator_ResearcherPagesAndApi_AreRefused()
    {
        await SignInAsync();

        foreach (var path in new[] { "/projects", $"/projects/{DemoSeeder.ProjectSlug}", "/training", "/admin/users" })
        {
            var response = await Page.GotoAsync(path);
            (response!.Status == 403 || new Uri(Page.Url).AbsolutePath != path).ShouldBeTrue($"an annotator reached {path}");
        }
        var status = await Page.EvaluateAsync<int>("async () => (await fetch('/api/admin/jobs')).status");
        status.ShouldBe(403);
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
        var a = await WorkspacePage.IntAttributeAsync(Page.GetByTestId("pairwise"), "data-a");
        var rationale = edit ? "B is clearer after all." : "A is right.";
        if (edit)
        {
            await Page.GetByTestId("pref-2").ClickAsync(); // mouse: B much better
            await Page.Keyboard.PressAsync("x"); // both bad, stored as ticked, is unticked
        }
        else
        {
            await Page.Keyboard.PressAsync("2"); // A better
            await Page.Keyboard.PressAsync("ArrowRight"); // tie
            await Page.Keyboard.PressAsync("ArrowLeft"); // A better again
            await Page.Keyboard.PressAsync("x"); // both bad
        }
        await Page.Locator("[data-testid=pref--1][aria-checked=true], [data-testid=pref-2][aria-checked=true]").WaitForAsync();
        await Page.FillAsync("#rationale", rationale);
        // Submitted at once after typing: the last keystrokes must be in the label (a debounced field once lost them).
        await Page.Keyboard.PressAsync("Control+Enter"); // submits from the text area
        var preference = edit ? PairwisePreference.BMuchBetter : PairwisePreference.ABetter;
        return label => label is PairwiseAnnotation p && p.ResponseAId == a && p.Preference == preference && p.BothBad == !edit &&
                        p.Rationale == rationale && p.ShownOrder[0] == a;
    }

    private async Task<Func<Annotation, bool>> RankingAsync(bool edit)
    {
        var items = Page.GetByTestId("ranking-item");
        var count = await items.CountAsync();
        if (!edit)
        {
            // Mouse: drag the last response to the top.
            var last = await items.Nth(count - 1).GetAttributeAsync("data-response-id");
            await WorkspacePage.DragAsync(items.Nth(count - 1), items.Nth(0));
            await Page.Locator($"[data-testid=ranking-item][data-response-id='{last}']").WaitForAsync();
            await Page.WaitForFunctionAsync("id => document.querySelector('[data-testid=ranking-item]').dataset.responseId === id", last);
            // Keys: the top response straight to the last place, back up one, then tied with the one above it.
            await items.Nth(0).ClickAsync();
            await Page.Keyboard.PressAsync(count.ToString(CultureInfo.InvariantCulture));
            await Page.Keyboard.PressAsync("Shift+ArrowUp");
            await Page.Keyboard.PressAsync("t");
            try
            {
                await Page.WaitForFunctionAsync("""
                    ([n, id]) => {
                      const items = [...document.querySelectorAll('[data-testid=ranking-item]')];
                      return items[n - 2]?.dataset.responseId === id && items[n - 2].dataset.rank === items[n - 3].dataset.rank;
                    }
                    """, new object[] { count, last! });
            }
            catch (TimeoutException)
            {
                var shown = await Page.EvaluateAsync<string>("() => [...document.querySelectorAll('[data-testid=ranking-item]')].map(e => `${e.dataset.responseId}#${e.dataset.rank}${e.classList.contains('selected') ? '*' : ''}`).join(' ')");
                throw new Xunit.Sdk.XunitException($"After the keys the ranking shows {shown}; expected {last} tied in place {count - 1}.");
            }
        }
        else
        {
            await items.Nth(0).ClickAsync();
            await Page.Keyboard.PressAsync("Shift+ArrowDown");
        }
        var order = new List<(int Id, int Rank)>();
        for (var i = 0; i < count; i++)
            order.Add((await WorkspacePage.IntAttributeAsync(items.Nth(i), "data-response-id"), await WorkspacePage.IntAttributeAsync(items.Nth(i), "data-rank")));
        if (!edit)
            order[count - 2].Rank.ShouldBe(order[count - 3].Rank, "t tied the moved response with the one above");
        await Page.Keyboard.PressAsync("Enter");
        return label => label is RankingAnnotation r && order.All(o => r.Entries.Single(e => e.ResponseId == o.Id).Rank == o.Rank);
    }

    private async Task<Func<Annotation, bool>> SpanAsync(bool edit)
    {
        var text = Page.Locator(".span-text").First;
        var responseId = await WorkspacePage.IntAttributeAsync(text, "data-response-id");
        if (edit)
        {
            // Remove the marked span from the list, flag the response instead.
            await Page.GetByTestId("span-list-remove").First.ClickAsync();
            await Page.Locator(".span-mark").WaitForAsync(new() { State = WaitForSelectorState.Detached });
            await Workspace.CheckBox($"flag-{responseId}-off-topic").CheckAsync();
            await Page.GetByTestId("submit").ClickAsync();
            return label => label is SpanAnnotation s && s.Spans.Count == 0 &&
                s.Flags.Select(f => f.Flag).Order().SequenceEqual(["incomplete", "off-topic"]);
        }
        var content = await text.TextContentAsync() ?? "";
        // The second word, selected by dragging the mouse across it.
        var start = content.IndexOf(' ', StringComparison.Ordinal) + 1;
        var end = content.IndexOf(' ', start);
        if (end < 0) end = content.Length;
        await Workspace.SelectTextAsync(text, start, end);
        await Page.GetByTestId("span-editor").WaitForAsync();
        await Page.GetByTestId("severity-3").ClickAsync();
        await Page.FillAsync("#span-comment", "wrong <b>word</b>");
        await Page.Keyboard.PressAsync("Enter");
        await Page.Locator(".span-mark").WaitForAsync();
        (await Page.Locator(".span-mark").TextContentAsync()).ShouldBe(content[start..end]);
        await Page.ReadmeScreenshotAsync("annotate-span", fullPage: false);
        await Workspace.CheckBox($"flag-{responseId}-incomplete").CheckAsync();
        await Page.GetByTestId("submit").ClickAsync();
        return label => label is SpanAnnotation s && s.Spans.Count == 1 &&
            s.Spans[0].ResponseId == responseId && s.Spans[0].Start == start && s.Spans[0].End == end &&
            s.Spans[0].Severity == Severity.Critical && s.Spans[0].Comment == "wrong <b>word</b>" &&
            s.Flags.Single().Flag == "incomplete";
    }

    private async Task<Func<Annotation, bool>> PrincipleAsync(bool edit)
    {
        var rows = Page.GetByTestId("principle-row");
        var count = await rows.CountAsync();
        var keys = new[] { "y", "n", "a" };
        var expected = new List<(int Response, int Principle, Verdict Verdict)>();
        for (var i = 0; i < count; i++)
        {
            var response = await WorkspacePage.IntAttributeAsync(rows.Nth(i), "data-response-id");
            var principle = await WorkspacePage.IntAttributeAsync(rows.Nth(i), "data-principle-id");
            var key = keys[(i + (edit ? 1 : 0)) % 3];
            if (i == 0)
                await Page.GetByTestId($"verdict-{response}-{principle}-{(key == "y" ? 1 : key == "n" ? 0 : 2)}").ClickAsync(); // mouse
            else
                await Page.Keyboard.PressAsync(key);
            if (i == 0)
                await Page.Keyboard.PressAsync("ArrowDown");
            expected.Add((response, principle, key switch { "y" => Verdict.Yes, "n" => Verdict.No, _ => Verdict.NotApplicable }));
        }
        await Page.WaitForFunctionAsync("n => [...document.querySelectorAll('[data-testid=principle-row]')].filter(r => r.dataset.verdict !== '').length === n", count);
        await Page.Locator("[data-testid=principle-row] input").First.FillAsync("cites the source");
        await Page.Keyboard.PressAsync("Enter"); // submits from the evidence field
        return label => label is PrincipleAnnotation p && p.Verdicts.Count == count &&
            expected.All(e => p.Verdicts.Any(v => v.ResponseId == e.Response && v.PrincipleId == e.Principle && v.Verdict == e.Verdict)) &&
            p.Verdicts.Count(v => v.Evidence == "cites the source") == 1;
    }
}
