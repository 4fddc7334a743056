using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;

namespace PreferenceStudio.Integration.Tests.Web;

/// <summary>What a browser does with our forms: fetch the page, keep its antiforgery token, post the fields.</summary>
internal static class Browser
{
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/account/login");
        var form = new HtmlParser().ParseDocument(page).QuerySelector("form")!;
        var fields = form.QuerySelectorAll("input[type=hidden]")
            .ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
    }

    public static async Task SignInOrFailAsync(this HttpClient client, string email, string password)
    {
        var response = await client.SignInAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {email} failed: {response.StatusCode}");
    }

    /// <summary>
    /// A page's HTML, or a failure that carries what the server said: in Development a 500's body is the exception, which
    /// a bare status code would lose (a rare 500 of the run page was seen only in CI, with nothing else to go on).
    /// </summary>
    public static async Task<string> PageAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 4000)]}");
        return body;
    }

    /// <summary>The token the JSON API's writes send as a header, read from the meta tag every page carries.</summary>
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client)
    {
        var page = await client.GetStringAsync("/");
        return new HtmlParser().ParseDocument(page).QuerySelector("meta[name=request-verification-token]")!.GetAttribute("content")!;
    }
}
