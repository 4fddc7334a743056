using Microsoft.Playwright;
using PreferenceStudio.Testing;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>
/// A fresh database, the app on Kestrel and Debian's chromium driven by Playwright (never downloaded). The app's real
/// Content-Security-Policy is on: a page that needs something the policy does not allow fails its test.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private const string ReportViolations = """
        document.addEventListener('securitypolicyviolation', e =>
          window.__psCspViolation(`${e.effectiveDirective} refused ${e.blockedURI || 'inline'} on ${e.documentURI} (${e.sourceFile}:${e.lineNumber})`));
        """;

    protected TestDatabase Database { get; private set; } = default!;
    protected AppServer App { get; private set; } = default!;
    protected IPlaywright Playwright { get; private set; } = default!;
    protected IBrowser Browser { get; private set; } = default!;
    protected IPage Page { get; private set; } = default!;
    protected List<string> ConsoleErrors { get; } = [];

    /// <summary>Every Content-Security-Policy violation a page reported; <see cref="DisposeAsync"/> fails the test on any.</summary>
    protected List<string> CspViolations { get; } = [];

    /// <summary>For a test that provokes a violation on purpose and asserts on it: it then clears the list itself.</summary>
    protected void ExpectCspViolations() => _violationsExpected = true;

    private bool _violationsExpected;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        App = CreateApp(Database.ConnectionString);
        await App.SeedDemoAsync();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.BaseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        await context.ExposeFunctionAsync("__psCspViolation", (string report) => { lock (CspViolations) CspViolations.Add(report); });
        await context.AddInitScriptAsync(ReportViolations);
        Page = await context.NewPageAsync();
        // A failed load is reported by URL below; the console's own line for it names no URL.
        Page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                ConsoleErrors.Add(m.Text);
            // Chromium's own line for a violation: also caught when it comes before the listener above is in place.
            if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                lock (CspViolations) CspViolations.Add(m.Text);
        };
        Page.Response += (_, r) => { if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico", StringComparison.Ordinal)) ConsoleErrors.Add($"{r.Status} {r.Url}"); };
        Page.PageError += (_, e) => ConsoleErrors.Add(e);
    }

    protected virtual AppServer CreateApp(string connectionString) => new(connectionString);

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await App.DisposeAsync();
        await Database.DisposeAsync();
        if (!_violationsExpected && CspViolations.Count > 0)
            throw new Xunit.Sdk.XunitException("The Content-Security-Policy refused something on a page:\n" + string.Join("\n", CspViolations.Distinct()));
    }

    protected async Task SignInAsync(string email = "annotator@demo.local")
    {
        var account = DemoAccounts.All.First(a => a.Email == email);
        await Page.GotoAsync("/account/login");
        await Page.FillAsync("#email", account.Email);
        await Page.FillAsync("#password", account.Password);
        await Page.Locator("form button[type=submit]").First.ClickAsync();
        // Signed in once the redirect is committed; the home page's full load is no part of it, and on a loaded machine
        // it can outlast the navigation timeout while the test's next step waits for what it needs anyway.
        await Page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
    }

    protected async Task ScreenshotAsync(string name)
    {
        var dir = Path.Combine(AppServer.RepoRoot, ".artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }
}
