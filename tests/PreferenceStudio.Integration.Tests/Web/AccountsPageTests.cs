using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Web.Accounts;
using PreferenceStudio.Web.Grids;

namespace PreferenceStudio.Integration.Tests.Web;

/// <summary>
/// What the accounts page does, through the services its handlers call (the page itself is driven in a real browser
/// by the E2E tests), and what its prerendered HTML holds.
/// </summary>
public class AccountsPageTests : WebAppTest
{
    private async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> use) where TService : notnull
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private async Task<string> IdOfAsync(string email)
    {
        await using var db = Database.CreateContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private static NewAccount Input(string email, string role, string password) =>
        new() { Email = email, DisplayName = "New Person", Role = role, Password = password };

    [Fact]
    public async Task GetUsersPage_Admin_PrerendersTheGridAndTheNewAccountForm()
    {
        var admin = await SignedInAsync(Roles.Admin);

        var html = await admin.PageAsync("/admin/users");

        html.ShouldContain("data-testid=\"accounts\"");
        html.ShouldContain("data-testid=\"new-account\"");
        html.ShouldContain("Needs at least 10 characters");
    }

    [Fact]
    public async Task CreateAsync_ValidInput_TheNewAnnotatorCanSignInButNotReachAdminPages()
    {
        var errors = await WithAsync<AccountService, IReadOnlyList<AccountError>>(s => s.CreateAsync(Input("new.annotator@example.org", Roles.Annotator, "Str0ng-enough!")));

        errors.ShouldBeEmpty();
        var client = App.CreateBrowser();
        (await client.SignInAsync("new.annotator@example.org", "Str0ng-enough!")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CreateAsync_WeakPassword_ErrorAtThePasswordFieldAndNothingStored()
    {
        var errors = await WithAsync<AccountService, IReadOnlyList<AccountError>>(s => s.CreateAsync(Input("weak@example.org", Roles.Researcher, "short")));

        errors.ShouldContain(e => e.Field == AccountField.Password && e.Message.Contains("at least 10 characters"));
        await using var db = Database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == "weak@example.org")).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateAsync_UnknownRole_ErrorAtTheRoleFieldAndNothingStored()
    {
        var errors = await WithAsync<AccountService, IReadOnlyList<AccountError>>(s => s.CreateAsync(Input("root@example.org", "Superuser", "Str0ng-enough!")));

        errors.ShouldBe([new AccountError(AccountField.Role, "Role must be one of Admin, Researcher, Annotator, got 'Superuser'.")]);
        await using var db = Database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == "root@example.org")).ShouldBeFalse();
    }

    [Fact]
    public async Task SetLockedAndSetRole_OwnAccount_AreRefusedAndNothingChanges()
    {
        var me = await IdOfAsync(Account(Roles.Admin).Email);

        var locked = await WithAsync<AccountService, AccountError?>(s => s.SetLockedAsync(me, true, me));
        var demoted = await WithAsync<AccountService, AccountError?>(s => s.SetRoleAsync(me, Roles.Annotator, me));

        locked.ShouldNotBeNull().Field.ShouldBe(AccountField.Lock);
        demoted.ShouldNotBeNull().Field.ShouldBe(AccountField.Role);
        await using var db = Database.CreateContext();
        (await db.Users.SingleAsync(u => u.Id == me)).LockoutEnd.ShouldBeNull();
        (await db.UserRoles.Where(ur => ur.UserId == me).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync()).ShouldBe([Roles.Admin]);
    }

    [Fact]
    public async Task SetLockedAsync_AnnotatorSignedIn_TheirNextRequestIsSentToSignIn()
    {
        // The cookie is checked on every request here, so the order of lock and request alone decides.
        App.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval = TimeSpan.Zero;
        var annotator = await SignedInAsync(Roles.Annotator);
        (await annotator.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var me = await IdOfAsync(Account(Roles.Admin).Email);

        (await WithAsync<AccountService, AccountError?>(async s => await s.SetLockedAsync(await IdOfAsync(Account(Roles.Annotator).Email), true, me))).ShouldBeNull();

        var response = await annotator.GetAsync("/");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/account/login");
    }

    [Fact]
    public async Task PageAsync_FilteredByRoleAndLockedAndPaged_CountsEveryMatchButReturnsOnePage()
    {
        var me = await IdOfAsync(Account(Roles.Admin).Email);
        foreach (var i in Enumerable.Range(1, 3))
            (await WithAsync<AccountService, IReadOnlyList<AccountError>>(s => s.CreateAsync(Input($"extra{i}@example.org", Roles.Annotator, "Str0ng-enough!")))).ShouldBeEmpty();
        var extra2 = await IdOfAsync("extra2@example.org");
        (await WithAsync<AccountService, AccountError?>(s => s.SetLockedAsync(extra2, true, me))).ShouldBeNull();

        var active = await WithAsync<AccountQuery, Paged<AccountRow>>(q => q.PageAsync(new AccountFilter("extra", Roles.Annotator, Locked: false), new PageRequest(0, 1, AccountQuery.SortByEmail, Descending: true), CancellationToken.None));
        var locked = await WithAsync<AccountQuery, Paged<AccountRow>>(q => q.PageAsync(new AccountFilter(Locked: true), new PageRequest(0, 25), CancellationToken.None));
        var researchers = await WithAsync<AccountQuery, Paged<AccountRow>>(q => q.PageAsync(new AccountFilter(Role: Roles.Researcher), new PageRequest(0, 25), CancellationToken.None));

        active.Total.ShouldBe(2);
        active.Items.Select(r => r.Email).ShouldBe(["extra3@example.org"]);
        locked.Items.Select(r => (r.Email, r.IsLockedOut, r.Role)).ShouldBe([("extra2@example.org", true, Roles.Annotator)]);
        researchers.Items.ShouldAllBe(r => r.Role == Roles.Researcher);
        researchers.Total.ShouldBe(researchers.Items.Count);
    }

    [Fact]
    public async Task PageAsync_EmailFilterWithLikeWildcards_MatchesThemLiterally()
    {
        var page = await WithAsync<AccountQuery, Paged<AccountRow>>(q => q.PageAsync(new AccountFilter("%"), new PageRequest(0, 25), CancellationToken.None));

        page.Total.ShouldBe(0);
    }
}
