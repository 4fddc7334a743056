using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Web.Circuits;

namespace PreferenceStudio.E2E;

/// <summary>
/// The workspace when its circuit fails. Over a circuit, "the answer to a submit is lost" means the submit event
/// reached the server (the label is stored) and nothing came back: the connection died before the next task's render.
/// The lost-answer test reaches the page's WebSocket through a thin wrapper installed before the app's scripts run,
/// which drops what the server sends once told to.
/// </summary>
public sealed class WorkspaceCircuitTests : BrowserTest
{
    private WorkspacePage Workspace => new(Page);

    [Fact]
    public async Task Submit_AnswerLostAndTabReloaded_KeptDraftIsResentWithItsKeyAndStoredOnce()
    {
        var tasks = await WorkspaceProjects.PairwiseAsync(Database, "lost", null,
            ("First question?", "First A.", "First B."), ("Second question?", "Second A.", "Second B."));
        await WrapSocketsAsync();
        await SignInAsync();
        await Workspace.OpenAsync("lost");
        var taskId = await Workspace.TaskIdAsync();
        await Page.Keyboard.PressAsync("4");
        await Page.Locator("[data-testid=pref-1][aria-checked=true]").WaitForAsync();
        await WaitForDraftAsync();

        await Page.EvaluateAsync("() => { window.__psCut = true; }"); // from here on nothing the server says reaches the page
        await Page.Keyboard.PressAsync("Enter");
        await WaitForLabelsAsync(taskId, 1);
        (await Page.GetByTestId("workspace").GetAttributeAsync("data-task-id")).ShouldBe(taskId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "the page never heard back, so it still shows the first task");

        await Page.ReloadAsync(); // a new document: the wrapper starts uncut
        await Workspace.ReadyAsync();
        await Page.GetByTestId("status").Filter(new() { HasText = "Already stored" }).WaitForAsync();
        (await Workspace.TaskIdAsync()).ShouldNotBe(taskId);
        tasks.ShouldContain(await Workspace.TaskIdAsync());

        await using var db = Database.CreateContext();
        var labels = await db.PairwiseAnnotations.Where(a => a.TaskId == taskId).ToListAsync();
        labels.Count.ShouldBe(1);
        labels[0].Preference.ShouldBe(PairwisePreference.BBetter);
        (await db.Tasks.SingleAsync(t => t.Id == taskId)).CompletedAnnotations.ShouldBe(1);
        (await LocalStorageKeysAsync()).ShouldNotContain(k => k.StartsWith("ps-submitted:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Workspace_TabReloadedMidAnswer_DraftComesBackAndIsStored()
    {
        var tasks = await WorkspaceProjects.PairwiseAsync(Database, "drop", null, ("Only question?", "Answer A.", "Answer B."));
        await SignInAsync();
        await Workspace.OpenAsync("drop");
        await Page.Keyboard.PressAsync("4");
        await Page.Locator("[data-testid=pref-1][aria-checked=true]").WaitForAsync();
        await Page.Keyboard.PressAsync("x");
        await Page.WaitForFunctionAsync("() => document.querySelector('input[data-testid=both-bad], [data-testid=both-bad] input')?.checked === true");
        await Page.FillAsync("#rationale", "B cites its source.");
        await WaitForDraftAsync();

        // The tab is reloaded: its circuit is gone, a new one starts, and the draft comes back from the browser.
        await Page.ReloadAsync();
        await Workspace.ReadyAsync();
        await Page.Locator("[data-testid=pref-1][aria-checked=true]").WaitForAsync();
        (await Page.InputValueAsync("#rationale")).ShouldBe("B cites its source.");
        (await Workspace.CheckBox("both-bad").IsCheckedAsync()).ShouldBeTrue();
        await Page.GetByTestId("submit").ClickAsync();
        await Page.GetByTestId("queue-message").WaitForAsync();

        await using var db = Database.CreateContext();
        var label = await db.PairwiseAnnotations.SingleAsync(a => a.TaskId == tasks[0]);
        (label.Preference, label.BothBad, label.Rationale).ShouldBe((PairwisePreference.BBetter, true, "B cites its source."));
        (await LocalStorageKeysAsync()).ShouldNotContain(k => k.StartsWith("ps-draft:", StringComparison.Ordinal), "a stored answer's draft is removed");
        ConsoleErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Workspace_ConnectionDroppedMidAnswer_ReconnectsToTheSameCircuitWithTheAnswerAndStoresIt()
    {
        var tasks = await WorkspaceProjects.PairwiseAsync(Database, "reconnect", null, ("Only question?", "Answer A.", "Answer B."));
        await WrapSocketsAsync();
        await SignInAsync();
        await Workspace.OpenAsync("reconnect");
        await Page.Keyboard.PressAsync("4");
        await Page.Locator("[data-testid=pref-1][aria-checked=true]").WaitForAsync();
        await Page.FillAsync("#rationale", "B is right.");
        await Page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // The network drops the circuit's connection (a code other than a normal close, as a proxy or Wi-Fi would):
        // Blazor reconnects to the circuit the server kept, whose state holds the answer; the page is not reloaded.
        await Page.EvaluateAsync("() => window.__psSockets.at(-1).close(4000, 'dropped by the test')");
        await Page.WaitForFunctionAsync("() => window.__psSockets.length >= 2 && window.__psSockets.at(-1).readyState === WebSocket.OPEN");
        await Page.Locator("#components-reconnect-modal").WaitForAsync(new() { State = WaitForSelectorState.Hidden });

        (await Page.EvaluateAsync<bool>("() => window.__sameDocument === true")).ShouldBeTrue("reconnected in place, not reloaded");
        (await Page.InputValueAsync("#rationale")).ShouldBe("B is right.");
        await Page.GetByTestId("submit").ClickAsync();
        await Page.GetByTestId("queue-message").WaitForAsync();
        await using var db = Database.CreateContext();
        var label = await db.PairwiseAnnotations.SingleAsync(a => a.TaskId == tasks[0]);
        (label.Preference, label.Rationale).ShouldBe((PairwisePreference.BBetter, "B is right."));
    }

    [Fact]
    public async Task Workspace_ActiveAnnotator_RenewsTheLeaseAndAnIdleOneDoesNot()
    {
        App.Services.GetRequiredService<IOptions<CircuitSettings>>().Value.LeaseRenewalInterval = TimeSpan.FromSeconds(1);
        var tasks = await WorkspaceProjects.PairwiseAsync(Database, "lease", null, ("Only question?", "Answer A.", "Answer B."));
        await SignInAsync();
        await Workspace.OpenAsync("lease");
        var leased = await ExpiresAtAsync(tasks[0]);

        await Page.WaitForTimeoutAsync(2_500); // two renewal rounds with nothing done on the page
        (await ExpiresAtAsync(tasks[0])).ShouldBe(leased, "an idle page lets its lease run out");

        await Page.Keyboard.PressAsync("3");
        DateTimeOffset renewed = leased;
        for (var i = 0; i < 50 && renewed == leased; i++)
        {
            await Task.Delay(100);
            renewed = await ExpiresAtAsync(tasks[0]);
        }
        renewed.ShouldBeGreaterThan(leased);
    }

    private async Task<DateTimeOffset> ExpiresAtAsync(long taskId)
    {
        await using var db = Database.CreateContext();
        return await db.Assignments.Where(a => a.TaskId == taskId && a.State == AssignmentState.Active).Select(a => a.ExpiresAt).SingleAsync();
    }

    /// <summary>Wraps every WebSocket the page opens: window.__psSockets lists them, window.__psCut drops incoming frames.</summary>
    private async Task WrapSocketsAsync() => await Page.Context.AddInitScriptAsync("""
        (() => {
          const Native = window.WebSocket;
          window.__psSockets = [];
          window.WebSocket = class extends Native {
            constructor(...args) { super(...args); window.__psSockets.push(this); }
            set onmessage(handler) { super.onmessage = e => { if (!window.__psCut) handler.call(this, e); }; }
            get onmessage() { return super.onmessage; }
          };
        })();
        """);

    private async Task WaitForDraftAsync()
    {
        await Page.WaitForFunctionAsync("() => Object.keys(localStorage).some(k => k.startsWith('ps-draft:'))");
        await Page.WaitForTimeoutAsync(500); // the write of the last change, which follows its render
    }

    private Task<string[]> LocalStorageKeysAsync() => Page.EvaluateAsync<string[]>("() => Object.keys(localStorage)");

    private async Task WaitForLabelsAsync(long taskId, int count)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var db = Database.CreateContext();
            if (await db.Annotations.CountAsync(a => a.TaskId == taskId) >= count)
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Task {taskId} never got {count} label(s).");
    }
}
