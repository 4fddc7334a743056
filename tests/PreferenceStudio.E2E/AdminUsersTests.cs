using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Web.Components.Pages.Admin;

namespace PreferenceStudio.E2E;

public sealed class AdminUsersTests : BrowserTest
{
    private const string Admin = "admin@demo.local";
    private const string Annotator2 = "annotator2@demo.local";

    private async Task OpenUsersAsync()
    {
        await SignInAsync(Admin);
        await Page.GotoAsync("/admin/users");
        // The grid loads its rows over the circuit: once the admin's own row is there, the page is live.
        await Page.GetByTestId($"status-{Admin}").WaitForAsync();
    }

    [Fact]
    public async Task CreateAccount_WeakPasswordThenStrongOne_ErrorAtTheFieldThenStoredOnceWithItsRole()
    {
        await OpenUsersAsync();
        await Page.Input("new-email").FillAsync("new.person@example.org");
        await Page.Input("new-name").FillAsync("New Person");
        await Page.ChooseAsync("new-role", Roles.Researcher);
        await Page.Input("new-password").FillAsync("short");
        await Page.GetByTestId("create-account").ClickAsync();

        await Page.GetByText("Passwords must be at least 10 characters.").WaitForAsync();
        await using (var db = Database.CreateContext())
            (await db.Users.AnyAsync(u => u.Email == "new.person@example.org")).ShouldBeFalse();

        await Page.Input("new-password").FillAsync("Str0ng-enough!");
        // The field re-validates once the new value reached the circuit; clicking before that could send the click
        // ahead of the value on a busy machine, and the form would judge the old one.
        await Page.Input("new-password").BlurAsync();
        await Page.GetByText("Passwords must be at least 10 characters.").WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        await Page.GetByTestId("create-account").ClickAsync();

        await Page.GetByText("Created new.person@example.org (Researcher).").WaitForAsync();
        await Page.GetByTestId("status-new.person@example.org").WaitForAsync();
        await using var check = Database.CreateContext();
        var user = await check.Users.SingleAsync(u => u.Email == "new.person@example.org");
        user.DisplayName.ShouldBe("New Person");
        (await RolesOfAsync(check, user.Id)).ShouldBe([Roles.Researcher]);
    }

    [Fact]
    public async Task CreateAccount_EmailAlreadyTaken_SaysSoAtTheEmailFieldAndStoresNothing()
    {
        await OpenUsersAsync();
        await Page.Input("new-email").FillAsync(Annotator2);
        await Page.Input("new-password").FillAsync("Str0ng-enough!");
        await Page.GetByTestId("create-account").ClickAsync();

        await Page.GetByText($"Email '{Annotator2}' is already taken.").WaitForAsync();
        await using var db = Database.CreateContext();
        (await db.Users.CountAsync(u => u.Email == Annotator2)).ShouldBe(1);
    }

    [Fact]
    public async Task LockUnlockAndRole_ConfirmedOnTheGrid_StoredWithARenewedSecurityStamp()
    {
        await OpenUsersAsync();
        await Page.Input("filter-email").FillAsync("annotator2");
        await Page.GetByTestId($"status-{Admin}").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });
        (await Page.Locator("[data-testid^='status-']").CountAsync()).ShouldBe(1);
        var stampBefore = await StampOfAsync(Annotator2);

        await Page.GetByTestId($"lock-{Annotator2}").ClickAsync();
        await Page.GetByTestId("confirm-cancel").ClickAsync();
        (await Page.GetByTestId($"status-{Annotator2}").TextContentAsync()).ShouldBe("active");
        await Page.GetByTestId($"lock-{Annotator2}").ClickAsync();
        await Page.GetByTestId("confirm-ok").ClickAsync();

        await Page.GetByText($"{Annotator2} is locked.").WaitForAsync();
        await Microsoft.Playwright.Assertions.Expect(Page.GetByTestId($"status-{Annotator2}")).ToHaveTextAsync("locked");
        await using (var db = Database.CreateContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == Annotator2);
            user.LockoutEnd.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddYears(100));
            user.SecurityStamp.ShouldNotBe(stampBefore);
        }

        await Page.GetByTestId($"lock-{Annotator2}").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(Page.GetByTestId($"status-{Annotator2}")).ToHaveTextAsync("active");
        var stampUnlocked = await StampOfAsync(Annotator2);
        await Page.ChooseAsync($"role-{Annotator2}", Roles.Researcher);

        await Page.GetByText($"{Annotator2} is now Researcher.").WaitForAsync();
        await using var check = Database.CreateContext();
        var changed = await check.Users.SingleAsync(u => u.Email == Annotator2);
        changed.LockoutEnd.ShouldBeNull();
        changed.SecurityStamp.ShouldNotBe(stampUnlocked);
        (await RolesOfAsync(check, changed.Id)).ShouldBe([Roles.Researcher]);
    }

    [Fact]
    public async Task OwnRow_LockAndDemote_RefusedAtTheFieldAndNothingChanges()
    {
        await OpenUsersAsync();
        var stampBefore = await StampOfAsync(Admin);

        await Page.GetByTestId($"lock-self-{Admin}").WaitForAsync();
        (await Page.GetByTestId($"lock-{Admin}").CountAsync()).ShouldBe(0);
        await Page.ChooseAsync($"role-{Admin}", Roles.Annotator);

        await Page.GetByTestId($"role-{Admin}").GetByText(RolePicker.OwnAdminRole).WaitForAsync();
        await using var db = Database.CreateContext();
        var me = await db.Users.SingleAsync(u => u.Email == Admin);
        (await RolesOfAsync(db, me.Id)).ShouldBe([Roles.Admin]);
        me.SecurityStamp.ShouldBe(stampBefore);
    }

    private async Task<string?> StampOfAsync(string email)
    {
        await using var db = Database.CreateContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.SecurityStamp).SingleAsync();
    }

    private static Task<List<string>> RolesOfAsync(PreferenceStudio.Data.PreferenceStudioDbContext db, string userId) =>
        db.UserRoles.Where(ur => ur.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync();
}
