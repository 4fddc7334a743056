using System.Net;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Testing;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Web;

/// <summary>Web nodes keep no state of their own: a session started on one node is honoured by another.</summary>
public class StatelessWebTests : IAsyncLifetime
{
    private TestDatabase _database = default!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task SignInOnOneNode_RequestOnAnotherNode_IsAuthenticated()
    {
        await using var nodeA = new WebAppFactory(_database.ConnectionString);
        await using var nodeB = new WebAppFactory(_database.ConnectionString);
        await nodeA.SeedDemoAsync();
        var account = DemoAccounts.All.First(a => a.Role == "Researcher");

        var signIn = await nodeA.CreateBrowser().SignInAsync(account.Email, account.Password);
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ps.auth=", StringComparison.Ordinal)).Split(';')[0];

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        var onB = await nodeB.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }).SendAsync(request);

        onB.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await onB.Content.ReadAsStringAsync()).ShouldContain(account.Email);
        // Both nodes could share a key folder on one test machine; in production only the database is shared.
        await using var db = _database.CreateContext();
        (await db.DataProtectionKeys.CountAsync()).ShouldBeGreaterThan(0);
    }
}
