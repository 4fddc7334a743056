using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using PreferenceStudio.Web.Circuits;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>Rights taken away while a page is open, and pages an annotator's circuit must not show.</summary>
public sealed class AdminCircuitTests : BrowserTest
{
    private const string Annotator = "annotator@demo.local";

    [Fact]
    public async Task LockedAnnotator_NextClickOnTheOpenWorkspace_DoesNotRunAndLandsOnSignIn()
    {
        // Only the per-event check may explain what follows: the periodic revalidation is pushed out of the test's
        // reach, and the cookie is checked on every request so the order of lock and reload alone decides.
        App.Services.GetRequiredService<IOptions<CircuitSettings>>().Value.RevalidationInterval = TimeSpan.FromMinutes(10);
        App.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval = TimeSpan.Zero;
        await SignInAsync(Annotator);
        await Page.GotoAsync($"/annotate/{DemoSeeder.ProjectSlug}");
        // The project's page open on the circuit: its guidelines first, or the task (the workspace's own flow is
        // WorkspaceTests' subject; this test is about what any click of a locked account's circuit does).
        await Page.GetByTestId("intro").Or(Page.GetByTestId("workspace")).First.WaitForAsync();
        await WaitForCircuitAsync();

        var admin = await AdminPages.SignedInElsewhereAsync(Browser, App.BaseUrl, "admin@demo.local");
        await admin.GotoAsync("/admin/users");
        await admin.GetByTestId($"lock-{Annotator}").ClickAsync();
        await admin.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(admin.GetByTestId($"status-{Annotator}")).ToHaveTextAsync("locked");
        // The annotator's circuit may have reused a "still allowed" answer this long; the click comes after it.
        await Task.Delay(new CircuitSettings().AccessCheckCacheDuration + TimeSpan.FromMilliseconds(500));

        // A click that runs on the circuit (the app bar's theme switch, which worked a moment ago): it must not run,
        // and the page goes to sign in at once, long before any periodic revalidation.
        var clicked = DateTime.UtcNow;
        await Page.GetByTestId("theme-toggle").ClickAsync();
        await Page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = 10_000 });

        (DateTime.UtcNow - clicked).ShouldBeLessThan(TimeSpan.FromSeconds(10));
        new Uri(Page.Url).Query.ShouldContain(Uri.EscapeDataString($"/annotate/{DemoSeeder.ProjectSlug}"));
        await using (var db = Database.CreateContext())
        {
            var id = await db.Users.Where(u => u.Email == Annotator).Select(u => u.Id).SingleAsync();
            (await db.Annotations.CountAsync(a => a.AnnotatorId == id)).ShouldBe(0);
        }
        // And the cookie no longer opens a page: the next load is sent back to sign in.
        await Page.GotoAsync($"/annotate/{DemoSeeder.ProjectSlug}");
        new Uri(Page.Url).AbsolutePath.ShouldBe("/account/login");
    }

    [Theory]
    [InlineData("/admin/users")]
    [InlineData("/admin/jobs")]
    [InlineData("/projects")]
    [InlineData("/training")]
    public async Task Annotator_NavigatesInsideTheCircuitToAPageOfAnotherRole_SeesNotAuthorizedAndNoContent(string path)
    {
        await SignInAsync(Annotator);
        await Page.GotoAsync("/");
        await WaitForCircuitAsync();

        // Navigation inside the circuit (no HTTP request that endpoint authorization could refuse).
        await Page.EvaluateAsync("path => Blazor.navigateTo(path)", path);

        await Page.GetByTestId("not-authorized").WaitForAsync();
        new Uri(Page.Url).AbsolutePath.ShouldBe(path);
        (await Page.GetByTestId("accounts").CountAsync()).ShouldBe(0);
        (await Page.GetByTestId("servers").Or(Page.GetByTestId("no-servers")).CountAsync()).ShouldBe(0);
        ConsoleErrors.Clear();
    }

    /// <summary>
    /// Waits until the page runs on a live circuit, by the one control every page has: the app bar's theme switch
    /// changes MudBlazor's palette only once its click reaches the server (clicks on the prerendered page do nothing).
    /// </summary>
    private async Task WaitForCircuitAsync()
    {
        var before = await BackgroundAsync();
        for (var attempt = 0; attempt < 30; attempt++)
        {
            await Page.GetByTestId("theme-toggle").ClickAsync();
            try
            {
                await Page.WaitForFunctionAsync(
                    "before => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background') !== before",
                    before, new() { Timeout = 1_000 });
                return;
            }
            catch (TimeoutException)
            {
                // Not live yet.
            }
        }
        throw new TimeoutException("The page never ran on a live circuit.");
    }

    private Task<string> BackgroundAsync() =>
        Page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background')");
}
