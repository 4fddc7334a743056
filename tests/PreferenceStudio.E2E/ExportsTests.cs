using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>A researcher exports a project's labels from its page and downloads the file, on the app's own job node.</summary>
public sealed class ExportsTests : JobNodeBrowserTest
{
    public ExportsTests() => Assertions.SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task Export_StartedFromTheProjectPage_ShowsItsProgressToSucceededAndDownloadsEveryRow()
    {
        var labels = await DemoProjectLabels.LabelEveryPairwiseTaskAsync(Database);
        await SignInAsync("researcher@demo.local");
        await Page.OpenAsync($"/projects/{DemoSeeder.ProjectSlug}");
        await Assertions.Expect(Page.GetByTestId("no-exports")).ToBeVisibleAsync();

        await Page.GetByTestId("export-start").ClickAsync();

        var row = Page.Locator("[data-testid=exports] [data-state]");
        await row.WaitForAsync();
        var id = long.Parse((await row.GetAttributeAsync("data-testid"))!["export-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        // Queued or running first, then the grid's poll takes it to its end without a reload.
        await Assertions.Expect(Page.GetByTestId($"export-{id}")).ToHaveAttributeAsync("data-state", nameof(RunState.Succeeded));
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId($"download-{id}").ClickAsync());
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();
        lines.Count.ShouldBe(labels);
        lines.ShouldAllBe(l => l.Contains("\"chosen\"") && l.Contains("\"rejected\""));
        await using var check = Database.CreateContext();
        (await check.DatasetExports.SingleAsync()).RowCount.ShouldBe(labels);
    }
}
