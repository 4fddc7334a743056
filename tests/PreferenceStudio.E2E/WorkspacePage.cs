using System.Globalization;
using Microsoft.Playwright;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.E2E;

/// <summary>The annotator workspace as a test drives it: waits for the circuit, reads what the page shows.</summary>
public sealed class WorkspacePage(IPage page)
{
    public ILocator Workspace => page.GetByTestId("workspace");

    /// <summary>A MudCheckBox's input, wherever MudBlazor puts the test id (on the input or around it).</summary>
    public ILocator CheckBox(string testId) => page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input");

    /// <summary>Opens a project's workspace and waits until the circuit is live and the keys are wired.</summary>
    public async Task OpenAsync(string slug, bool start = true)
    {
        await page.GotoAsync($"/annotate/{slug}{(start ? "?start=true" : "")}");
        await ReadyAsync();
    }

    public Task ReadyAsync() => page.Locator("[data-testid=annotate-page][data-ready=true]").WaitForAsync(new() { Timeout = 30_000 });

    public async Task<TaskKind> KindAsync() =>
        Enum.Parse<TaskKind>(await Workspace.GetAttributeAsync("data-kind") ?? "", ignoreCase: true);

    public async Task<long> TaskIdAsync() =>
        long.Parse(await Workspace.GetAttributeAsync("data-task-id") ?? "0", CultureInfo.InvariantCulture);

    /// <summary>Waits until a task other than <paramref name="previous"/> is on the page, or the queue says it is empty.</summary>
    public Task NextTaskAsync(long previous) => page.WaitForFunctionAsync("""
        id => {
          const w = document.querySelector('[data-testid=workspace]');
          return (w && w.dataset.taskId !== String(id) && w.dataset.editing === 'false') || document.querySelector('[data-testid=queue-message]');
        }
        """, previous);

    public static async Task<int> IntAttributeAsync(ILocator locator, string name) =>
        int.Parse(await locator.GetAttributeAsync(name) ?? "0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Drags with the mouse onto the top edge of the target (HTML5 drag and drop, which MudBlazor's drop zone listens
    /// to). Forced: while dragging, MudBlazor lays its drop preview over the items, which is the point.
    /// </summary>
    public static Task DragAsync(ILocator from, ILocator to) =>
        from.DragToAsync(to, new() { Force = true, TargetPosition = new() { X = 20, Y = 5 } });

    /// <summary>Selects [start, end) of the first text node of a response with the mouse, from the left of start to the right of end.</summary>
    public async Task SelectTextAsync(ILocator spanText, int start, int end)
    {
        var box = await spanText.EvaluateAsync<float[]>("""
            (el, [s, e]) => {
              const node = el.firstChild;
              const r = document.createRange(); r.setStart(node, s); r.setEnd(node, e);
              const rects = r.getClientRects();
              const first = rects[0], last = rects[rects.length - 1];
              return [first.left, first.top + first.height / 2, last.right, last.top + last.height / 2];
            }
            """, new[] { start, end });
        await page.Mouse.MoveAsync(box[0] + 1, box[1]);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, new() { Steps = 3 });
        await page.Mouse.MoveAsync(box[2] - 1, box[3], new() { Steps = 3 });
        await page.Mouse.UpAsync();
    }
}
