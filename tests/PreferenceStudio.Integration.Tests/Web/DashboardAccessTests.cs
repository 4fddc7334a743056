using System.Net;

namespace PreferenceStudio.Integration.Tests.Web;

/// <summary>Hangfire's dashboard at /admin/hangfire, behind the app's own cookie and the Admin role.</summary>
public class DashboardAccessTests : WebAppTest
{
    [Theory]
    [InlineData("/admin/hangfire")]
    [InlineData("/admin/hangfire/jobs/failed")]
    [InlineData("/admin/hangfire/stats")]
    public async Task GetDashboard_Anonymous_Returns401(string path)
    {
        var response = await App.CreateBrowser().GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Annotator")]
    [InlineData("Researcher")]
    public async Task GetDashboard_WithoutAdminRole_Returns403(string role)
    {
        var client = await SignedInAsync(role);

        (await client.GetAsync("/admin/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/admin/hangfire/recurring")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task GetDashboard_Admin_Returns200WithHangfiresPages()
    {
        var client = await SignedInAsync("Admin");

        var response = await client.GetAsync("/admin/hangfire");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("PreferenceStudio · jobs");
        html.ShouldContain("href=\"/admin/jobs\"");
        (await client.GetAsync("/admin/hangfire/servers")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
