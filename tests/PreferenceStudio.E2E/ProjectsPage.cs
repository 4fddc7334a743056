using Microsoft.Playwright;

namespace PreferenceStudio.E2E;

/// <summary>What the project, quality and home tests share: waiting for the circuit, uploading, screenshots for the README.</summary>
internal static class ProjectsPage
{
    /// <summary>Opens a page and waits until it runs over a live circuit (before that, clicks reach no handler).</summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator("[data-interactive=true]").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>The MudBlazor input control around a field, where its validation message shows.</summary>
    public static ILocator FieldControl(this IPage page, string testId) =>
        page.Locator(".mud-input-control").Filter(new() { Has = page.GetByTestId(testId) });

    public static async Task<string> WriteTempFileAsync(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ps-import-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    /// <summary>
    /// Chooses the file once Blazor's InputFile has hooked the input (its script marks the element when it does): a
    /// file chosen before that fires a change nobody hears, which a loaded machine showed as a page that never answered.
    /// </summary>
    public static async Task UploadAsync(this IPage page, string path)
    {
        var input = page.Locator("[data-testid=import-panel] input[type=file]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=import-panel] input[type=file]')?._blazorInputFileNextFileId !== undefined");
        await input.SetInputFilesAsync(path);
    }
}
