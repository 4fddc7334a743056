using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Data;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Integration.Tests.Security;

/// <summary>Sign-in abuse: throttled per account and per address, lockout late and undone by an admin, no account oracle.</summary>
public sealed class SignInTests : WebAppTest
{
    private static readonly SignInThrottleOptions Defaults = new();

    [Fact]
    public async Task SignIn_MoreAttemptsOnOneAccountThanTheThrottleAllows_Returns429AndDoesNotLockTheAccount()
    {
        var annotator = Account(Roles.Annotator);
        for (var i = 0; i < Defaults.PerAccount; i++)
            (await App.CreateBrowser().SignInAsync(annotator.Email, "wrong-password-" + i)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // From a fresh client, even with the right password: the account is throttled, not locked.
        var throttled = await App.CreateBrowser().SignInAsync(annotator.Email, annotator.Password);

        throttled.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter.ShouldNotBeNull();
        (await throttled.Content.ReadAsStringAsync()).ShouldContain(SignInThrottleOptions.TooMany);
        await using var db = Database.CreateContext();
        var user = await db.Users.SingleAsync(u => u.Email == annotator.Email);
        user.AccessFailedCount.ShouldBe(Defaults.PerAccount);
        user.LockoutEnd.ShouldBeNull();
    }

    [Fact]
    public async Task SignIn_ManyAccountsFromOneAddress_Returns429AfterTheAddressLimit()
    {
        var client = App.CreateBrowser();
        for (var i = 0; i < Defaults.PerAddressPerMinute; i++)
            (await client.SignInAsync($"nobody{i}@example.org", "wrong-password")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await client.SignInAsync("somebody-else@example.org", "wrong-password");

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task SignIn_LockedAccountWithTheRightPassword_IsAnsweredExactlyLikeAWrongPasswordAndAnUnknownEmail()
    {
        var annotator = Account(Roles.Annotator);
        await using (var db = Database.CreateContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == annotator.Email);
            user.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(15);
            await db.SaveChangesAsync();
        }

        var locked = await ErrorOfAsync(annotator.Email, annotator.Password);
        var wrong = await ErrorOfAsync(Account(Roles.Researcher).Email, "not-the-password");
        var unknown = await ErrorOfAsync("nobody@example.org", "not-the-password");

        locked.ShouldBe(wrong);
        unknown.ShouldBe(wrong);
        locked.ShouldNotContain("lock", Case.Insensitive);
    }

    [Fact]
    public async Task Unlock_ByAnAdmin_LetsALockedOutAnnotatorSignInAndClearsTheFailures()
    {
        var annotator = Account(Roles.Annotator);
        string id, adminId;
        await using (var db = Database.CreateContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == annotator.Email);
            (user.LockoutEnd, user.AccessFailedCount, id) = (DateTimeOffset.UtcNow.AddMinutes(15), Defaults.LockoutAfterFailures - 1, user.Id);
            adminId = await db.Users.Where(u => u.Email == Account(Roles.Admin).Email).Select(u => u.Id).SingleAsync();
            await db.SaveChangesAsync();
        }

        // What the accounts page's Unlock button calls (the page itself is driven in the browser by AdminUsersTests).
        await using (var scope = App.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<PreferenceStudio.Web.Accounts.AccountService>().SetLockedAsync(id, false, adminId)).ShouldBeNull();

        (await App.CreateBrowser().SignInAsync(annotator.Email, annotator.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await using var check = Database.CreateContext();
        (await check.Users.SingleAsync(u => u.Id == id)).AccessFailedCount.ShouldBe(0);
    }

    [Fact]
    public async Task SignIn_UnknownEmailLockedAccountOrWrongPassword_EachCostsExactlyOnePasswordHashCheck()
    {
        var hasher = new CountingHasher();
        await using var app = App.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher<ApplicationUser>>(hasher)));
        var annotator = Account(Roles.Annotator);
        await using (var db = Database.CreateContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == annotator.Email);
            user.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(15);
            await db.SaveChangesAsync();
        }

        var checks = new Dictionary<string, int>();
        foreach (var (name, email, password) in new[]
        {
            ("unknown", "nobody@example.org", "not-the-password"),
            ("locked", annotator.Email, annotator.Password),
            ("wrong", Account(Roles.Researcher).Email, "not-the-password"),
        })
        {
            hasher.Verifications = 0;
            var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            (await client.SignInAsync(email, password)).StatusCode.ShouldBe(HttpStatusCode.OK);
            checks[name] = hasher.Verifications;
        }

        // The same work on every path, so response time does not tell which emails have a usable account.
        checks.ShouldBe(new Dictionary<string, int> { ["unknown"] = 1, ["locked"] = 1, ["wrong"] = 1 });
    }

    private sealed class CountingHasher : IPasswordHasher<ApplicationUser>
    {
        private readonly PasswordHasher<ApplicationUser> _inner = new();
        public int Verifications;

        public string HashPassword(ApplicationUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref Verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private async Task<string> ErrorOfAsync(string email, string password)
    {
        var response = await App.CreateBrowser().SignInAsync(email, password);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("[data-testid=login-error]")!.TextContent.Trim();
    }
}
