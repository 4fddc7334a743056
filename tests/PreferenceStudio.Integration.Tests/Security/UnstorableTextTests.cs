using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Annotating;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Security;

/// <summary>
/// Text PostgreSQL cannot store (a NUL, half a surrogate pair) in every free-text field of the workspace API: a 400
/// that names the field, nothing stored, never a 500 from the database.
/// </summary>
public sealed class UnstorableTextTests : WebAppTest
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TheoryData<string, string> Texts => new()
    {
        { "a NUL \\u0000 here", "NUL" },
        { "half a pair \\ud800 here", "surrogate" },
        { "the other half \\udc00", "surrogate" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task Submit_UnstorableRationale_Returns400NamingTheFieldAndStoresNothing(string escaped, string named)
    {
        var (client, token, lease, ids) = await PairwiseLeaseAsync();

        var response = await PostRawAsync(client, token, $"/api/annotate/assignments/{lease.AssignmentId}/submit",
            PairwiseBody(ids, $"\"rationale\": \"{escaped}\""));

        await ShouldBeRefusedAsync(response, "$.rationale", named);
        await using var db = Database.CreateContext();
        (await db.Annotations.CountAsync()).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task Revise_UnstorableRationale_Returns400NamingTheFieldAndKeepsTheStoredVersion(string escaped, string named)
    {
        var (client, token, lease, ids) = await PairwiseLeaseAsync();
        (await PostRawAsync(client, token, $"/api/annotate/assignments/{lease.AssignmentId}/submit", PairwiseBody(ids, "\"rationale\": \"fine\"")))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await PostRawAsync(client, token, $"/api/annotate/tasks/{lease.TaskId}/revise", PairwiseBody(ids, $"\"rationale\": \"{escaped}\""));

        await ShouldBeRefusedAsync(response, "$.rationale", named);
        await using var db = Database.CreateContext();
        var stored = await db.Annotations.SingleAsync();
        (stored.Version, stored.Rationale).ShouldBe((1, "fine"));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task Skip_UnstorableReason_Returns400NamingTheFieldAndKeepsTheLease(string escaped, string named)
    {
        var (client, token, lease, _) = await PairwiseLeaseAsync();

        var response = await PostRawAsync(client, token, $"/api/annotate/assignments/{lease.AssignmentId}/skip", $"{{\"reason\": \"{escaped}\"}}");

        await ShouldBeRefusedAsync(response, "$.reason", named);
        await using var db = Database.CreateContext();
        (await db.Assignments.SingleAsync(a => a.Id == lease.AssignmentId)).State.ShouldBe(PreferenceStudio.Core.Tasks.AssignmentState.Active);
    }

    private static string PairwiseBody(int[] ids, string extra) =>
        $"{{\"idempotencyKey\": \"{Guid.NewGuid()}\", \"timeSpentMs\": 900, \"shownOrder\": [{ids[0]}, {ids[1]}], {extra}, " +
        $"\"pairwise\": {{\"responseAId\": {ids[0]}, \"responseBId\": {ids[1]}, \"preference\": 1, \"bothBad\": false}}}}";

    private static async Task ShouldBeRefusedAsync(HttpResponseMessage response, string field, string named)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        using var problem = JsonDocument.Parse(body);
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        detail.ShouldStartWith(field);
        detail.ShouldContain(named);
    }

    private async Task<(HttpClient Client, string Token, Lease Lease, int[] Ids)> PairwiseLeaseAsync()
    {
        var client = await SignedInAsync(Roles.Annotator);
        var token = await client.AntiforgeryTokenAsync();
        for (var i = 0; i < 20; i++)
        {
            var next = await PostRawAsync(client, token, $"/api/annotate/{DemoSeeder.ProjectSlug}/next", "{}");
            next.StatusCode.ShouldBe(HttpStatusCode.OK);
            var lease = (await next.Content.ReadFromJsonAsync<Lease>(Json))!;
            if (lease.Kind == PreferenceStudio.Core.Projects.TaskKind.Pairwise)
            {
                await using var db = Database.CreateContext();
                var task = await db.Tasks.SingleAsync(t => t.Id == lease.TaskId);
                return (client, token, lease, task.Responses.OrderBy(r => r.Position).Select(r => r.ResponseId).ToArray());
            }
            (await PostRawAsync(client, token, $"/api/annotate/assignments/{lease.AssignmentId}/skip", "{\"reason\": \"looking for pairwise\"}"))
                .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        throw new InvalidOperationException("No pairwise task in the demo project.");
    }

    private static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string token, string url, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("RequestVerificationToken", token);
        return client.SendAsync(request);
    }
}
