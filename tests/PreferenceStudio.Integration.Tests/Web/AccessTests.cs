using System.Net;

namespace PreferenceStudio.Integration.Tests.Web;

/// <summary>Sign-in and the role gates, through the real pipeline (cookies, antiforgery, policies).</summary>
public class AccessTests : WebAppTest
{
    [Theory]
    [InlineData("/")]
    [InlineData("/admin/jobs")]
    public async Task GetPage_Anonymous_RedirectsToSignIn(string path)
    {
        var response = await App.CreateBrowser().GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/account/login?ReturnUrl=" + Uri.EscapeDataString(path));
    }

    [Fact]
    public async Task GetHealth_Anonymous_ReportsHealthyWhileTheDatabaseAnswers()
    {
        var response = await App.CreateBrowser().GetAsync("/healthz");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Healthy");
    }

    [Fact]
    public async Task GetAdminApi_Anonymous_Returns401()
    {
        var response = await App.CreateBrowser().GetAsync("/api/admin/jobs");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsAnErrorAndSignsNobodyIn()
    {
        var client = App.CreateBrowser();
        var response = await client.SignInAsync(Account("Annotator").Email, "not-the-password");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("do not match an account");
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Theory]
    [InlineData("Annotator")]
    [InlineData("Researcher")]
    public async Task GetAdminPage_WithoutAdminRole_Returns403WithAnExplanation(string role)
    {
        var client = await SignedInAsync(role);

        var response = await client.GetAsync("/admin/jobs");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Access denied");
    }

    [Fact]
    public async Task AdminApi_Annotator_Returns403ForReadsAndWrites()
    {
        var client = await SignedInAsync("Annotator");
        var token = await client.AntiforgeryTokenAsync();

        (await client.GetAsync("/api/admin/jobs")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var trigger = new HttpRequestMessage(HttpMethod.Post, "/api/admin/jobs/expire-leases/trigger");
        trigger.Headers.Add("RequestVerificationToken", token);
        (await client.SendAsync(trigger)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task GetAdminPage_Admin_ShowsTheJobClusterStatus()
    {
        var client = await SignedInAsync("Admin");

        var response = await client.GetAsync("/admin/jobs");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Servers");
        html.ShouldContain("Recurring jobs");
        html.ShouldContain("Recent failures");
        html.ShouldContain("href=\"/admin/hangfire\"");
    }

    [Fact]
    public async Task TriggerJob_AdminWithoutAntiforgeryToken_IsRefused()
    {
        var client = await SignedInAsync("Admin");
        var response = await client.PostAsync("/api/admin/jobs/expire-leases/trigger", null);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TriggerJob_UnknownJob_Returns404()
    {
        var client = await SignedInAsync("Admin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/jobs/drop-database/trigger");
        request.Headers.Add("RequestVerificationToken", await client.AntiforgeryTokenAsync());
        (await client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetHome_Annotator_SeesTheDemoProjectButNoAdminLinks()
    {
        var client = await SignedInAsync("Annotator");

        var html = await (await client.GetAsync("/")).Content.ReadAsStringAsync();

        html.ShouldContain("Demo: helpful and honest answers");
        html.ShouldNotContain("/admin/jobs");
    }

    [Fact]
    public async Task SignOut_Post_EndsTheSession()
    {
        var client = await SignedInAsync("Researcher");
        var page = await client.GetStringAsync("/");
        var token = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page).QuerySelector("form[action='/account/logout'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }
}
