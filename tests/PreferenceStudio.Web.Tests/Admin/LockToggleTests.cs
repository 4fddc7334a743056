using MudBlazor;
using PreferenceStudio.Web.Accounts;
using PreferenceStudio.Web.Components.Pages.Admin;

namespace PreferenceStudio.Web.Tests.Admin;

public class LockToggleTests : ComponentTest
{
    private readonly List<bool> _calls = [];

    private (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<LockToggle> Toggle) Render(bool locked, bool isSelf = false)
    {
        var dialogs = Render<MudDialogProvider>();
        var toggle = Render<LockToggle>(p => p
            .Add(c => c.Account, new AccountRow("id-1", "someone@test.local", "Someone", ["Annotator"], locked))
            .Add(c => c.IsSelf, isSelf)
            .Add(c => c.SetLocked, l => { _calls.Add(l); return Task.CompletedTask; }));
        return (dialogs, toggle);
    }

    [Fact]
    public void Lock_Confirmed_LocksTheAccount()
    {
        var (dialogs, toggle) = Render(locked: false);

        toggle.Find("[data-testid='lock-someone@test.local']").Click();
        dialogs.WaitForElement("[data-testid=confirm-ok]").Click();

        toggle.WaitForAssertion(() => _calls.ShouldBe([true]));
    }

    [Fact]
    public void Lock_Cancelled_ChangesNothing()
    {
        var (dialogs, toggle) = Render(locked: false);

        toggle.Find("[data-testid='lock-someone@test.local']").Click();
        dialogs.WaitForElement("[data-testid=confirm-cancel]").Click();

        dialogs.WaitForAssertion(() => dialogs.FindAll("[data-testid=confirm-ok]").ShouldBeEmpty());
        _calls.ShouldBeEmpty();
    }

    [Fact]
    public void Unlock_AskedForNothing_UnlocksAtOnce()
    {
        var (dialogs, toggle) = Render(locked: true);

        toggle.Find("[data-testid='lock-someone@test.local']").Click();

        _calls.ShouldBe([false]);
        dialogs.FindAll("[data-testid=confirm-ok]").ShouldBeEmpty();
    }

    [Fact]
    public void OwnRow_Unlocked_OffersNoLockButtonAndSaysWhy()
    {
        var (_, toggle) = Render(locked: false, isSelf: true);

        toggle.FindAll("button").ShouldBeEmpty();
        toggle.Find("[data-testid='lock-self-someone@test.local']").TextContent.ShouldBe("You cannot lock yourself out.");
    }
}
