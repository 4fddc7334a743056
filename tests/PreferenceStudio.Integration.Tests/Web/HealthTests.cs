using System.Net;

namespace PreferenceStudio.Integration.Tests.Web;

public class HealthTests
{
    [Fact]
    public async Task GetHealth_DatabaseUnreachable_Returns503()
    {
        // Port 1 on loopback: nothing listens, so the connection is refused at once.
        await using var app = new WebAppFactory("Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2");

        var response = await app.CreateBrowser().GetAsync("/healthz");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Unhealthy");
    }
}
