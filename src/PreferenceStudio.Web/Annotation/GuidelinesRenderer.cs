using Markdig;
using Markdig.Renderers;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Annotating;

/// <summary>
/// Project guidelines as HTML: Markdown with raw HTML disabled (it is shown as text), and every address the renderer
/// writes (inline, reference and autolinks, images) passed through one scheme allow-list, <see cref="SafeUrl"/>.
/// The check sits on the renderer's own URL writer rather than on one kind of syntax node, so a link form added by a
/// Markdig extension later cannot slip past it.
/// </summary>
public sealed class GuidelinesRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();

    public string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown ?? "", _pipeline);
        using var html = new StringWriter();
        var renderer = new HtmlRenderer(html) { LinkRewriter = SafeUrl.OrFragment };
        _pipeline.Setup(renderer);
        renderer.Render(document);
        html.Flush();
        return html.ToString();
    }
}
