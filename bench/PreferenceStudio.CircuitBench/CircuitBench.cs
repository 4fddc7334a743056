using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Data;
using PreferenceStudio.E2E;
using PreferenceStudio.Testing;

namespace PreferenceStudio.CircuitBench;

/// <summary>
/// Annotators labelling pairwise tasks through the real interactive workspace at once: one headless chromium, a
/// browser context (own cookie, own circuit) per annotator, keys pressed as a person would ("3", Enter). Prints
/// labels per second, the time from pressing Enter to the next task on screen, and the server's managed memory per
/// open circuit; then checks the database holds exactly the labels the pages were shown as stored.
/// The app runs in this process (as in the browser tests), so its memory can be read after a full collection.
/// Usage: dotnet run -c Release --project bench/PreferenceStudio.CircuitBench [labels-per-annotator=20] [annotators=8,32,64]
/// </summary>
internal static class CircuitBench
{
    private const string Password = "bench-Annotator-2026";
    private const int OpenAtOnce = 8;
    private const string Ready = "[data-testid=annotate-page][data-ready=true] [data-testid=workspace]";

    private static async Task<int> Main(string[] args)
    {
        // WebApplicationFactory finds the app's content root from an attribute its build step writes into test
        // projects only; an executable names it this way.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PREFERENCESTUDIO_WEB", Path.Combine(AppServer.RepoRoot, "src", "PreferenceStudio.Web"));
        // The app's own log at Information writes every SQL command to the console, which would be most of what is measured.
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        // Every simulated annotator signs in from 127.0.0.1, which the sign-in throttle would hold to 20 a minute.
        Environment.SetEnvironmentVariable("SignIn__PerAddressPerMinute", "10000");
        var perAnnotator = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var levels = (args.Length > 1 ? args[1] : "8,32,64").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        Console.WriteLine($"PreferenceStudio circuit bench: pairwise, overlap 1, {perAnnotator} labels per annotator, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| annotators | labels | labels/s | Enter to next task p50 / p95 (ms) | managed memory per circuit | integrity |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | --- |");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var ok = true;
        foreach (var annotators in levels)
            ok &= await RunAsync(browser, annotators, perAnnotator);
        return ok ? 0 : 1;
    }

    private static async Task<bool> RunAsync(IBrowser browser, int annotators, int perAnnotator)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var app = new AppServer(database.ConnectionString);
        await app.SeedDemoAsync();
        // One spare task per annotator, so nobody meets an empty queue while others hold their last lease.
        var emails = await SeedAsync(app, database, annotators, annotators * (perAnnotator + 1));

        var baseline = ManagedBytes();
        var pages = new List<IPage>();
        // Pages open a few at a time, as people arrive: 64 sign-ins and first renders at once starve two cores for
        // minutes, which measures the start, not the labelling.
        foreach (var batch in emails.Chunk(OpenAtOnce))
            pages.AddRange(await Task.WhenAll(batch.Select(email => OpenWorkspaceAsync(browser, app.BaseUrl, email))));
        var perCircuit = (ManagedBytes() - baseline) / annotators;

        var times = new ConcurrentBag<double>();
        var shown = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(pages.Select(page => Task.Run(async () =>
        {
            for (var i = 0; i < perAnnotator; i++)
            {
                // Keys count only once the page says its task is on screen and its key handler attached (data-ready).
                await page.WaitForSelectorAsync(Ready);
                var task = await page.GetAttributeAsync("[data-testid=workspace]", "data-task-id");
                await page.Keyboard.PressAsync("3");
                var t0 = Stopwatch.GetTimestamp();
                await page.Keyboard.PressAsync("Enter");
                // The next task (or the end of the queue) is on screen: the page did not reload, the circuit re-rendered it.
                try
                {
                    await page.WaitForSelectorAsync($"[data-testid=workspace]:not([data-task-id='{task}']), [data-testid=queue-message]");
                }
                catch (TimeoutException)
                {
                    // Say what the stuck page shows: its status line and the workspace's marks name the state it is in.
                    var status = await page.EvaluateAsync<string>(
                        "() => { const w = document.querySelector('[data-testid=workspace]'); const s = document.querySelector('[data-testid=status]');" +
                        " return `task ${w?.dataset.taskId} editing ${w?.dataset.editing} ready ${document.querySelector('[data-testid=annotate-page]')?.dataset.ready}; status: ${s?.innerText}; snackbars: ${[...document.querySelectorAll('.mud-snackbar')].map(x => x.innerText).join(' | ')}`; }");
                    throw new TimeoutException($"Task {task} never moved on after Enter: {status}");
                }
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                Interlocked.Increment(ref shown);
            }
        })));
        clock.Stop();

        await using var db = database.CreateContext();
        var stored = await db.Annotations.CountAsync();
        var integrity = stored == shown ? "ok" : $"{stored} labels stored, {shown} submits answered";
        Console.WriteLine($"| {annotators} | {shown} | {shown / clock.Elapsed.TotalSeconds:0.0} | {P(times, 50):0} / {P(times, 95):0} | " +
                          $"{perCircuit / 1024.0:0} KiB | {integrity} |");
        foreach (var page in pages)
            await page.Context.CloseAsync();
        return stored == shown;
    }

    private static async Task<List<string>> SeedAsync(AppServer app, TestDatabase database, int annotators, int tasks)
    {
        await using (var db = database.CreateContext())
            await Seed.PairwiseProjectAsync(db, tasks, overlap: 1, slug: "bench");
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var emails = new List<string>();
        for (var i = 0; i < annotators; i++)
        {
            var email = $"bench{i}@example.org";
            var user = new ApplicationUser { UserName = email, Email = email, DisplayName = $"Bench {i}" };
            Check(await users.CreateAsync(user, Password));
            Check(await users.AddToRoleAsync(user, Roles.Annotator));
            emails.Add(email);
        }
        return emails;
    }

    /// <summary>Signs in on the static page, opens the workspace and waits until its circuit shows the first task.</summary>
    private static async Task<IPage> OpenWorkspaceAsync(IBrowser browser, string baseUrl, string email)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync("/annotate/bench");
        await page.WaitForSelectorAsync("[data-testid=workspace], [data-testid=start]");
        if (await page.QuerySelectorAsync("[data-testid=start]") is { } start)
            await start.ClickAsync();
        await page.WaitForSelectorAsync(Ready);
        return page;
    }

    private static long ManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    private static double P(ConcurrentBag<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}
