using Microsoft.Playwright;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>How the admin tests drive MudBlazor's inputs, by their data-testid.</summary>
internal static class AdminPages
{
    /// <summary>The input of a MudTextField, whether the test id lands on the input or on its wrapper.</summary>
    public static ILocator Input(this IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input").First;

    /// <summary>Opens a MudSelect (by the test id on it or around it) and picks the item with that text.</summary>
    public static async Task ChooseAsync(this IPage page, string testId, string item)
    {
        await page.Locator($"[data-testid='{testId}'] .mud-select, .mud-select[data-testid='{testId}']").First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = item, Exact = true }).Or(
            page.Locator(".mud-popover-open .mud-list-item").GetByText(item, new() { Exact = true })).First.ClickAsync();
    }

    /// <summary>A second browser context signed in as another demo account: a second person at another desk.</summary>
    public static async Task<IPage> SignedInElsewhereAsync(IBrowser browser, string baseUrl, string email)
    {
        var account = DemoAccounts.All.First(a => a.Email == email);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", account.Email);
        await page.FillAsync("#password", account.Password);
        await page.Locator("form button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        return page;
    }
}
