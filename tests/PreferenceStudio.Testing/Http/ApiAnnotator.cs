using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using PreferenceStudio.Annotating;

namespace PreferenceStudio.Testing.Http;

/// <summary>
/// One simulated annotator on the workspace's JSON API, as a careful client does it: signed in with a cookie, the
/// antiforgery token in a header, each label with one idempotency key that every retry of it sends again. A request
/// that got no answer (connection refused or reset, a timeout, a 5xx) is retried until it gets one, so a label is
/// given up only when the server refuses it (4xx).
/// </summary>
public sealed class ApiAnnotator : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly TimeSpan _patience;
    private string _token = "";

    public ApiAnnotator(string baseUrl, string email, TimeSpan patience)
    {
        Email = email;
        _patience = patience;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public string Email { get; }
    public List<SubmitRecord> Submits { get; } = [];

    /// <summary>Round trips of next-task and submit calls that were answered, in milliseconds.</summary>
    public List<double> NextMs { get; } = [];
    public List<double> SubmitMs { get; } = [];

    /// <summary>Next-task calls sent that got no answer (and were sent again).</summary>
    public int UnansweredNext { get; private set; }

    /// <summary>5xx answers (each retried): the server failed rather than refused.</summary>
    public int ServerErrors { get; private set; }

    /// <summary>Signs in through the login form and keeps the antiforgery token every page carries.</summary>
    public async Task SignInAsync(CancellationToken ct)
    {
        using var page = (await AnsweredAsync(() => new HttpRequestMessage(HttpMethod.Get, "/account/login"), ct)).Response;
        var form = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync(ct)).QuerySelector("form")
            ?? throw new InvalidOperationException("The login page has no form.");
        var fields = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        fields["Input.Email"] = Email;
        fields["Input.Password"] = AnnotatorAccounts.Password;
        using var posted = (await AnsweredAsync(() => new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = new FormUrlEncodedContent(fields) }, ct)).Response;
        if (posted.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {Email} answered {(int)posted.StatusCode}, not a redirect.");
        using var home = (await AnsweredAsync(() => new HttpRequestMessage(HttpMethod.Get, "/"), ct)).Response;
        _token = new HtmlParser().ParseDocument(await home.Content.ReadAsStringAsync(ct))
            .QuerySelector("meta[name=request-verification-token]")?.GetAttribute("content")
            ?? throw new InvalidOperationException("The home page carries no antiforgery token.");
    }

    /// <summary>
    /// Takes tasks of <paramref name="slug"/> and labels each (pairwise, response ids from <paramref name="pairs"/>)
    /// until the queue has none left; <paramref name="acknowledged"/> is told of every stored label.
    /// </summary>
    public async Task LabelAllAsync(string slug, IReadOnlyDictionary<long, (int A, int B)> pairs, Action acknowledged, CancellationToken ct)
    {
        while (true)
        {
            var next = await AnsweredAsync(() => Post($"/api/annotate/{slug}/next", content: null), ct);
            using var nextResponse = next.Response;
            UnansweredNext += next.Unanswered;
            NextMs.Add(next.Milliseconds);
            if (next.Response.StatusCode == HttpStatusCode.NoContent)
                return;
            if (next.Response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"{Email}: next task answered {(int)next.Response.StatusCode}: {await next.Response.Content.ReadAsStringAsync(ct)}");
            using var lease = JsonDocument.Parse(await next.Response.Content.ReadAsStringAsync(ct));
            var assignmentId = lease.RootElement.GetProperty("assignmentId").GetInt64();
            var taskId = lease.RootElement.GetProperty("taskId").GetInt64();

            // One key per label, made before the first send and kept by every retry.
            var (a, b) = pairs[taskId];
            var request = new SubmitRequest(Guid.NewGuid(), 1500, [a, b], null, new PairwiseAnswer(a, b, Random.Shared.Next(-2, 3), false));
            var submit = await AnsweredAsync(() => Post($"/api/annotate/assignments/{assignmentId}/submit", JsonContent.Create(request, options: Json)), ct);
            using var submitResponse = submit.Response;
            SubmitMs.Add(submit.Milliseconds);
            SubmitReceipt? receipt = null;
            if (submit.Response.IsSuccessStatusCode)
            {
                receipt = await submit.Response.Content.ReadFromJsonAsync<SubmitReceipt>(Json, ct);
                acknowledged();
            }
            Submits.Add(new SubmitRecord(request.IdempotencyKey, assignmentId, taskId, submit.Attempts, submit.Unanswered,
                (int)submit.Response.StatusCode, receipt?.AnnotationId, receipt?.AlreadyStored ?? false,
                receipt is null ? await submit.Response.Content.ReadAsStringAsync(ct) : null));
        }
    }

    private HttpRequestMessage Post(string path, HttpContent? content)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        message.Headers.Add("RequestVerificationToken", _token);
        return message;
    }

    /// <summary>Sends until the server answers with anything but a 5xx, or <see cref="_patience"/> runs out.</summary>
    private async Task<Answered> AnsweredAsync(Func<HttpRequestMessage> make, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + _patience;
        var attempts = 0;
        var unanswered = 0;
        while (true)
        {
            attempts++;
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var request = make();
                var response = await _http.SendAsync(request, ct);
                // Read the body within the measured time: a response is answered when it has arrived.
                await response.Content.LoadIntoBufferAsync(ct);
                if ((int)response.StatusCode < 500)
                    return new Answered(response, Stopwatch.GetElapsedTime(started).TotalMilliseconds, attempts, unanswered);
                ServerErrors++;
                response.Dispose();
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            catch (IOException) { }
            unanswered++;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Email}: no answer from the server within {_patience} ({attempts} attempts).");
            await Task.Delay(50, ct);
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed record Answered(HttpResponseMessage Response, double Milliseconds, int Attempts, int Unanswered);
}

/// <summary>
/// One label as the client saw it: its key, how many times it was sent and how many of those got no answer, and the
/// final answer (the stored label's id and whether the server had stored it already, or the refusal).
/// </summary>
public sealed record SubmitRecord(Guid Key, long AssignmentId, long TaskId, int Attempts, int Unanswered, int Status,
    long? AnnotationId, bool AlreadyStored, string? Refusal)
{
    public bool Acknowledged => Status is >= 200 and < 300;
}
