using Microsoft.Playwright;

namespace PreferenceStudio.E2E;

public static class ReadmeScreenshots
{
    /// <summary>
    /// With PS_SCREENSHOTS=1, saves the page to docs/screenshots/NAME.png (the README's pictures); otherwise nothing,
    /// so an ordinary test run leaves the tree as it was. <paramref name="fullPage"/> false keeps to the viewport.
    /// </summary>
    public static async Task ReadmeScreenshotAsync(this IPage page, string name, bool fullPage = true)
    {
        if (Environment.GetEnvironmentVariable("PS_SCREENSHOTS") != "1")
            return;
        var dir = Path.Combine(AppServer.RepoRoot, "docs", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = fullPage });
    }
}
