using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Web.Components;
using PreferenceStudio.Web.Components.Pages.Admin;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Tests.Admin;

/// <summary>
/// The form's field rules, and its handler's own role check. No account service is registered here: a handler that
/// reached it would throw, so "nothing stored" is what these tests can see.
/// </summary>
public class NewAccountFormTests : ComponentTest
{
    public NewAccountFormTests()
    {
        Services.AddScoped<ScopedOperations>();
        Services.AddSingleton<AccountAccess>();
        Services.AddScoped<AccessGate>();
        Services.Configure<IdentityOptions>(o => o.Password.RequiredLength = 10);
    }

    private IRenderedComponent<NewAccountForm> RenderForm()
    {
        Render<MudPopoverProvider>();
        return Render<NewAccountForm>();
    }

    private static void Type(IRenderedComponent<NewAccountForm> form, string testId, string value) =>
        form.Find($"input[data-testid={testId}], [data-testid={testId}] input").Change(value);

    [Fact]
    public void Create_BadEmailAndShortPassword_ShowsEachErrorAtItsField()
    {
        SignInAs(Roles.Admin);
        var form = RenderForm();
        Type(form, "new-email", "not-an-email");
        Type(form, "new-password", "Short1!");

        form.Find("[data-testid=create-account]").Click();

        form.WaitForAssertion(() =>
        {
            form.Markup.ShouldContain("not-an-email' is not an email address.");
            form.Markup.ShouldContain("Passwords must be at least 10 characters.");
        });
    }

    [Fact]
    public void Create_CircuitUserIsNoLongerAnAdmin_RefusesWithoutTouchingAccounts()
    {
        SignInAs(Roles.Annotator);
        var form = RenderForm();
        Type(form, "new-email", "new.person@example.org");
        Type(form, "new-password", "Str0ng-enough!");

        form.Find("[data-testid=create-account]").Click();

        form.WaitForAssertion(() => Services.GetRequiredService<ISnackbar>().ShownSnackbars
            .Select(s => s.Message).ShouldContain("Only administrators may create accounts."));
    }
}
