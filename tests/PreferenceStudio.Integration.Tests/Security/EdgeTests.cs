using System.Net;
using System.Text;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Web.Projects;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Security;

/// <summary>The headers every response carries, and the statuses the edge answers (status pages, NUL in forms and imports).</summary>
public sealed class EdgeTests : WebAppTest
{
    [Theory]
    [InlineData("/account/login", HttpStatusCode.OK)] // a page
    [InlineData("/css/site.css", HttpStatusCode.OK)] // a static file
    [InlineData("/api/admin/jobs", HttpStatusCode.Unauthorized)] // the API
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/no/such/page", HttpStatusCode.NotFound)] // a status page
    public async Task AnyResponse_CarriesTheContentSecurityPolicyAndTheUsualHeaders(string path, HttpStatusCode status)
    {
        // The repository's wwwroot, as ./run serves it, so that static files are static files here too.
        using var app = App.WithWebHostBuilder(b => b.UseWebRoot(Path.Combine(RepoRoot(), "wwwroot")));
        var response = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(path);

        response.StatusCode.ShouldBe(status);
        var csp = Header(response, "Content-Security-Policy");
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);
        directives["script-src"].ShouldBe(["'self'"]);
        directives["object-src"].ShouldBe(["'none'"]);
        directives["frame-ancestors"].ShouldBe(["'none'"]);
        directives["base-uri"].ShouldBe(["'self'"]);
        directives["default-src"].ShouldBe(["'self'"]);
        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(response, "X-Frame-Options").ShouldBe("DENY");
        Header(response, "Referrer-Policy").ShouldBe("same-origin");
    }

    [Fact]
    public async Task Logout_WithoutAntiforgeryToken_Returns400PageAndKeepsTheSession()
    {
        var client = await SignedInAsync(Roles.Researcher);

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Bad request");
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CancelRun_AnnotatorWithToken_Returns403PageNot400()
    {
        var client = await SignedInAsync(Roles.Annotator);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/training/1/cancel");
        request.Headers.Add("RequestVerificationToken", await client.AntiforgeryTokenAsync());

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Access denied");
    }

    [Fact]
    public async Task Post_ToAGetOnlyRoute_Returns405Page()
    {
        var client = await SignedInAsync(Roles.Researcher);

        var response = await client.PostAsync("/exports/1/file", new FormUrlEncodedContent(new Dictionary<string, string>()));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Not allowed here");
    }

    [Theory]
    [InlineData("DELETE", "/api/admin/jobs", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/api/no-such-thing", HttpStatusCode.NotFound)]
    public async Task ApiAddress_EmptyBodiedError_AnswersProblemJsonNotAPage(string method, string path, HttpStatusCode status)
    {
        var client = await SignedInAsync(Roles.Admin);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain($"\"status\":{(int)status}");
    }

    [Fact]
    public async Task AccessDeniedPath_SignedIn_ShowsAnAccessDeniedPage()
    {
        var client = await SignedInAsync(Roles.Annotator);

        var response = await client.GetAsync("/account/access-denied");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("data-testid=\"access-denied\"");
    }

    [Fact]
    public async Task SignIn_NulInEmail_Returns400NamingTheField()
    {
        var client = App.CreateBrowser();

        var response = await client.SignInAsync("annotator@demo.local\0", "whatever-it-is");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var message = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("[data-testid=status-message]")!.TextContent;
        message.ShouldContain("'Input.Email'");
        message.ShouldContain("NUL");
    }

    public static TheoryData<string, string> BadImportLines => new()
    {
        { """{"id": "a", "prompt": "Why\u0000?", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}]}""", "line 2, prompt: contains a NUL" },
        { """{"id": "a", "prompt": "Why?", "responses": [{"text": "A\u0000", "model": "m"}, {"text": "B", "model": "m"}]}""", "line 2, responses[0].text: contains a NUL" },
        { """{"id": "a", "prompt": "Why?", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}], "metadata": {"k": "v\u0000"}}""", "line 2, metadata.k: contains a NUL" },
        { """{"id": "a", "prompt": "Why?", "responses": [{"text": "A", "model": "m", "metadata": {"n\u0000": 1}}, {"text": "B", "model": "m"}]}""", "line 2, responses[0].metadata.n\\u0000: this property name contains a NUL" },
        { """{"id": "a", "prompt": "Why \ud800?", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}]}""", "line 2, prompt: holds half of a UTF-16 surrogate pair" },
        { """{"id": "a", "conversation": [{"role": "user", "content": "\udfff"}], "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}]}""", "line 2, conversation[0].content: holds half of a UTF-16 surrogate pair" },
    };

    [Theory]
    [MemberData(nameof(BadImportLines))]
    public async Task Import_UnstorableTextOnALine_ListsALocatedErrorAndStoresNothing(string line, string error)
    {
        var file = Encoding.UTF8.GetBytes(GoodLine("ok") + "\n" + line + "\n");

        var errors = await ImportAsync(file);

        errors.ShouldContain(e => e.StartsWith(error, StringComparison.Ordinal), string.Join("\n", errors));
        await AssertNothingImportedAsync();
    }

    [Fact]
    public async Task Import_InvalidUtf8_IsRefusedWithLineAndBytePosition()
    {
        var good = Encoding.UTF8.GetBytes(GoodLine("ok") + "\n");
        var line = Encoding.UTF8.GetBytes(GoodLine("bad")).ToList();
        var insertAt = Encoding.UTF8.GetBytes(GoodLine("bad")).AsSpan().IndexOf("Why"u8) + 3;
        line.Insert(insertAt, 0xC3); // a lead byte without its continuation: "Why\xC3?" is not UTF-8
        var file = good.Concat(line).Concat("\n"u8.ToArray()).ToArray();

        var errors = await ImportAsync(file);

        errors.ShouldContain($"line 2: byte {insertAt + 1} of the line (byte {good.Length + insertAt + 1} of the file, 0xC3) is not valid UTF-8; save the file as UTF-8.", string.Join("\n", errors));
        await AssertNothingImportedAsync();
    }

    private static string GoodLine(string id) =>
        $$"""{"id": "{{id}}", "prompt": "Why?", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}]}""";

    /// <summary>The import as the project page's upload runs it: the researcher's claims, the file's bytes as the browser sent them.</summary>
    private async Task<List<string>> ImportAsync(byte[] file)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<PromptImporter>();
        await using var db = Database.CreateContext();
        var projectId = await db.Projects.Where(p => p.Slug == DemoSeeder.ProjectSlug).Select(p => p.Id).SingleAsync();
        var result = await importer.ImportAsync(await PrincipalAsync(Roles.Researcher), projectId, new MemoryStream(file), CancellationToken.None);
        return result.Errors.Select(e => e.ToString()).ToList();
    }

    private async Task AssertNothingImportedAsync()
    {
        await using var db = Database.CreateContext();
        (await db.Prompts.CountAsync(p => p.ExternalId == "ok" || p.ExternalId == "a" || p.ExternalId == "bad")).ShouldBe(0);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PreferenceStudio.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("PreferenceStudio.sln not found above the test binaries.");
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new ShouldAssertException($"{response.RequestMessage!.RequestUri} has no {name} header.");
}
