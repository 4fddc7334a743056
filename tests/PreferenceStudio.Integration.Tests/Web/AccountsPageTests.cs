using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;

namespace PreferenceStudio.Integration.Tests.Web;

public class AccountsPageTests : WebAppTest
{
    private HttpClient _admin = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _admin = await SignedInAsync("Admin");
    }

    private async Task<string> CreateAccountAsync(string email, string role, string password)
    {
        var page = new HtmlParser().ParseDocument(await _admin.GetStringAsync("/admin/users"));
        var form = page.QuerySelector("form input[name=_handler][value=new-account]")!.Closest("form")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        fields["Input.Email"] = email;
        fields["Input.DisplayName"] = "New Person";
        fields["Input.Role"] = role;
        fields["Input.Password"] = password;
        var response = await _admin.PostAsync("/admin/users", new FormUrlEncodedContent(fields));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task CreateAccount_ValidInput_TheNewAnnotatorCanSignIn()
    {
        var html = await CreateAccountAsync("new.annotator@example.org", "Annotator", "Str0ng-enough!");

        html.ShouldContain("Created new.annotator@example.org");
        var client = App.CreateBrowser();
        (await client.SignInAsync("new.annotator@example.org", "Str0ng-enough!")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CreateAccount_WeakPassword_SaysWhyAndStoresNothing()
    {
        var html = await CreateAccountAsync("weak@example.org", "Researcher", "short");

        html.ShouldContain("Passwords must be at least 10 characters");
        await using var db = Database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == "weak@example.org")).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateAccount_UnknownRole_IsRefusedAndStoresNothing()
    {
        var html = await CreateAccountAsync("root@example.org", "Superuser", "Str0ng-enough!");

        html.ShouldContain("Role must be one of Admin, Researcher, Annotator");
        await using var db = Database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == "root@example.org")).ShouldBeFalse();
    }
}
