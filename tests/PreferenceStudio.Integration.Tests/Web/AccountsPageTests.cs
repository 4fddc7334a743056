using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Testing;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Web;

public class AccountsPageTests : IAsyncLifetime
{
    private TestDatabase _database = default!;
    private WebAppFactory _app = default!;
    private HttpClient _admin = default!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _app = new WebAppFactory(_database.ConnectionString);
        await _app.SeedDemoAsync();
        _admin = _app.CreateBrowser();
        var admin = DemoAccounts.All.First(a => a.Role == "Admin");
        await _admin.SignInOrFailAsync(admin.Email, admin.Password);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
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
        var client = _app.CreateBrowser();
        (await client.SignInAsync("new.annotator@example.org", "Str0ng-enough!")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CreateAccount_WeakPassword_SaysWhyAndStoresNothing()
    {
        var html = await CreateAccountAsync("weak@example.org", "Researcher", "short");

        html.ShouldContain("Passwords must be at least 10 characters");
        await using var db = _database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == "weak@example.org")).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateAccount_UnknownRole_IsRefusedAndStoresNothing()
    {
        var html = await CreateAccountAsync("root@example.org", "Superuser", "Str0ng-enough!");

        html.ShouldContain("Role must be one of Admin, Researcher, Annotator");
        await using var db = _database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == "root@example.org")).ShouldBeFalse();
    }
}
