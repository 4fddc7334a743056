using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace PreferenceStudio.Web.Annotating;

/// <summary>
/// Project guidelines as HTML: Markdown with raw HTML disabled, and links or images only to http(s), mailto or
/// relative addresses (a javascript: link would run script on click).
/// </summary>
public sealed class GuidelinesRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();

    public string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown ?? "", _pipeline);
        foreach (var link in document.Descendants<LinkInline>())
            if (!IsSafeUrl(link.Url))
                link.Url = "#";
        return document.ToHtml(_pipeline);
    }

    private static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
            return true;
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (slash >= 0 && slash < colon))
            return true;
        var scheme = url[..colon].Trim().ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }
}
