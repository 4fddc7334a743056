using MudBlazor;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Web.Accounts;
using PreferenceStudio.Web.Components.Pages.Admin;

namespace PreferenceStudio.Web.Tests.Admin;

public class RolePickerTests : ComponentTest
{
    private readonly List<string> _stored = [];

    private IRenderedComponent<RolePicker> Render(string role, bool isSelf, string? refusal = null)
    {
        Render<MudPopoverProvider>();
        return Render<RolePicker>(p => p
            .Add(c => c.Account, new AccountRow("id-1", "someone@test.local", "Someone", [role], IsLockedOut: false))
            .Add(c => c.IsSelf, isSelf)
            .Add(c => c.ChangeRole, r => { _stored.Add(r); return Task.FromResult(refusal); }));
    }

    private static Task ChooseAsync(IRenderedComponent<RolePicker> picker, string role) =>
        picker.InvokeAsync(() => picker.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync(role));

    [Fact]
    public async Task Choose_OwnRowAwayFromAdmin_ShowsTheRefusalAtTheFieldAndStoresNothing()
    {
        var picker = Render(Roles.Admin, isSelf: true);

        await ChooseAsync(picker, Roles.Annotator);

        picker.Markup.ShouldContain(RolePicker.OwnAdminRole);
        _stored.ShouldBeEmpty();
    }

    [Fact]
    public async Task Choose_AnotherAccount_StoresTheRole()
    {
        var picker = Render(Roles.Annotator, isSelf: false);

        await ChooseAsync(picker, Roles.Researcher);

        _stored.ShouldBe([Roles.Researcher]);
        picker.Markup.ShouldNotContain(RolePicker.OwnAdminRole);
    }

    [Fact]
    public async Task Choose_ServiceRefuses_ShowsItsReasonAtTheField()
    {
        var picker = Render(Roles.Annotator, isSelf: false, refusal: "No account with id id-1: it may have been deleted.");

        await ChooseAsync(picker, Roles.Admin);

        picker.Markup.ShouldContain("No account with id id-1: it may have been deleted.");
    }

    [Fact]
    public async Task Choose_TheRoleItAlreadyHas_StoresNothing()
    {
        var picker = Render(Roles.Researcher, isSelf: false);

        await ChooseAsync(picker, Roles.Researcher);

        _stored.ShouldBeEmpty();
    }
}
