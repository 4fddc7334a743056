using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Annotating;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>The workspace API over HTTP: the antiforgery header, problem details that say what is wrong, receipts.</summary>
public sealed class AnnotationApiTests : WebAppTest
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Submit_PairwiseTwiceWithOneKey_StoresOnceAndTheSecondReceiptSaysAlreadyStored()
    {
        var client = await SignedInAsync(Roles.Annotator);
        var token = await client.AntiforgeryTokenAsync();
        var lease = await NextPairwiseLeaseAsync(client, token);
        var ids = await ResponseIdsAsync(lease.TaskId);
        var body = new SubmitRequest(Guid.NewGuid(), 900, ids, null, Pairwise: new PairwiseAnswer(ids[0], ids[1], 2, BothBad: true));

        var first = await PostAsync(client, token, $"/api/annotate/assignments/{lease.AssignmentId}/submit", body);
        var second = await PostAsync(client, token, $"/api/annotate/assignments/{lease.AssignmentId}/submit", body);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var receipt = (await second.Content.ReadFromJsonAsync<SubmitReceipt>(Json))!;
        receipt.AlreadyStored.ShouldBeTrue();
        receipt.Message.ShouldContain("Already stored");
        await using var db = Database.CreateContext();
        (await db.Annotations.CountAsync(a => a.TaskId == lease.TaskId)).ShouldBe(1);
    }

    [Fact]
    public async Task Submit_RankingThatIsNotAPermutation_Returns400ProblemNamingTheFieldAndStoresNothing()
    {
        var client = await SignedInAsync(Roles.Annotator);
        var token = await client.AntiforgeryTokenAsync();
        var lease = await NextPairwiseLeaseAsync(client, token);
        var ids = await ResponseIdsAsync(lease.TaskId);
        var body = new SubmitRequest(Guid.NewGuid(), 900, ids, null, Ranking: new RankingAnswer([new RankItem(ids[0], 1), new RankItem(ids[0], 2)]));

        var response = await PostAsync(client, token, $"/api/annotate/assignments/{lease.AssignmentId}/submit", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("detail").GetString()!.ShouldContain("send exactly one answer, 'pairwise'");
        problem.RootElement.GetProperty("title").GetString()!.ShouldContain("nothing was stored");
        await using var db = Database.CreateContext();
        (await db.Annotations.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Submit_WithoutAntiforgeryHeader_Returns400AndStoresNothing()
    {
        var client = await SignedInAsync(Roles.Annotator);
        var token = await client.AntiforgeryTokenAsync();
        var lease = await NextPairwiseLeaseAsync(client, token);
        var ids = await ResponseIdsAsync(lease.TaskId);

        var response = await client.PostAsJsonAsync($"/api/annotate/assignments/{lease.AssignmentId}/submit",
            new SubmitRequest(Guid.NewGuid(), 900, ids, null, Pairwise: new PairwiseAnswer(ids[0], ids[1], 0, false)), Json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("antiforgery");
        await using var db = Database.CreateContext();
        (await db.Annotations.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Submit_MalformedJson_Returns400NamingThePath()
    {
        var client = await SignedInAsync(Roles.Annotator);
        var token = await client.AntiforgeryTokenAsync();
        var lease = await NextPairwiseLeaseAsync(client, token);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/annotate/assignments/{lease.AssignmentId}/submit")
        {
            Content = new StringContent("""{"idempotencyKey": "not-a-uuid", "timeSpentMs": 5}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("RequestVerificationToken", token);

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("detail").GetString()!.ShouldStartWith("$.idempotencyKey");
    }

    [Fact]
    public async Task Next_Anonymous_Returns401()
    {
        var client = App.CreateBrowser();

        var response = await client.PostAsync($"/api/annotate/{DemoSeeder.ProjectSlug}/next", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WorkspacePage_Prerendered_ShowsTheGuidelinesFirstAndTakesNoLease()
    {
        var client = await SignedInAsync(Roles.Annotator);

        var intro = new HtmlParser().ParseDocument(await client.PageAsync($"/annotate/{DemoSeeder.ProjectSlug}"));
        var start = new HtmlParser().ParseDocument(await client.PageAsync($"/annotate/{DemoSeeder.ProjectSlug}?start=true"));

        intro.QuerySelector("[data-testid=intro]")!.TextContent.ShouldContain("guidelines");
        intro.QuerySelector("[data-testid=workspace]").ShouldBeNull();
        start.QuerySelector("[data-testid=intro]").ShouldBeNull();
        start.QuerySelector("[data-testid=progress]")!.TextContent.ShouldContain("Done today: 0");
        // The task comes over the circuit; a prerendered page (a crawler, a preview, the pass before the circuit) leases nothing.
        start.QuerySelector("[data-testid=workspace]").ShouldBeNull();
        await using var db = Database.CreateContext();
        (await db.Assignments.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Next_UnknownProject_Returns404NamingTheSlug()
    {
        var client = await SignedInAsync(Roles.Annotator);
        var token = await client.AntiforgeryTokenAsync();

        var response = await PostAsync(client, token, "/api/annotate/no-such-project/next", new { });

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("There is no project 'no-such-project'.");
    }

    [Fact]
    public async Task Next_AfterTheProjectsLeaseDurationChanged_LeasesForTheNewDuration()
    {
        var client = await SignedInAsync(Roles.Annotator);
        var token = await client.AntiforgeryTokenAsync();
        await using (var db = Database.CreateContext())
        {
            var project = await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug);
            project.ConfigureAssignment(project.Overlap, TimeSpan.FromMinutes(7), project.GoldRate, project.AllowRankingTies);
            await db.SaveChangesAsync();
        }

        var before = DateTimeOffset.UtcNow;
        var response = await PostAsync(client, token, $"/api/annotate/{DemoSeeder.ProjectSlug}/next", new { });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var lease = (await response.Content.ReadFromJsonAsync<Lease>(Json))!;
        lease.ExpiresAt.ShouldBeInRange(before.AddMinutes(7).AddSeconds(-5), DateTimeOffset.UtcNow.AddMinutes(7).AddSeconds(5));
    }

    /// <summary>Leases until a pairwise task comes up, skipping others (the demo project mixes all four kinds).</summary>
    private static async Task<Lease> NextPairwiseLeaseAsync(HttpClient client, string token)
    {
        for (var i = 0; i < 20; i++)
        {
            var response = await PostAsync(client, token, $"/api/annotate/{DemoSeeder.ProjectSlug}/next", new { });
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var lease = (await response.Content.ReadFromJsonAsync<Lease>(Json))!;
            if (lease.Kind == PreferenceStudio.Core.Projects.TaskKind.Pairwise)
                return lease;
            (await PostAsync(client, token, $"/api/annotate/assignments/{lease.AssignmentId}/skip", new { reason = "looking for pairwise" }))
                .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        throw new InvalidOperationException("No pairwise task in the demo project.");
    }

    private async Task<int[]> ResponseIdsAsync(long taskId)
    {
        await using var db = Database.CreateContext();
        var task = await db.Tasks.SingleAsync(t => t.Id == taskId);
        return task.Responses.OrderBy(r => r.Position).Select(r => r.ResponseId).ToArray();
    }

    private static Task<HttpResponseMessage> PostAsync<T>(HttpClient client, string token, string url, T body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add("RequestVerificationToken", token);
        return client.SendAsync(request);
    }
}
