namespace PreferenceStudio.Web.Security;

/// <summary>
/// The Content-Security-Policy every response carries, built in this one place. Sources are named, never
/// 'unsafe-inline' or 'unsafe-eval' for scripts: an injected &lt;script&gt;, an on* attribute or a javascript: URL
/// does not run even when a bug lets one into a page.
/// </summary>
/// <remarks>
/// To let a page use something new, add its source to the directive here (<see cref="Allow"/>), by name: for Blazor
/// interactive server, blazor.web.js is served from 'self' (/_framework) and its circuit's WebSocket is 'self' too in
/// CSP Level 3 browsers; MudBlazor's css and js are served from 'self' (/_content). Styles allow 'unsafe-inline'
/// because style attributes are part of the markup (progress bars today, MudBlazor components tomorrow); CSS cannot
/// run script.
/// </remarks>
public sealed class ContentSecurityPolicy
{
    private readonly Dictionary<string, List<string>> _directives = new(StringComparer.Ordinal)
    {
        ["default-src"] = ["'self'"],
        ["script-src"] = ["'self'"],
        ["style-src"] = ["'self'", "'unsafe-inline'"],
        ["img-src"] = ["'self'", "data:"],
        ["font-src"] = ["'self'"],
        ["connect-src"] = ["'self'"],
        ["object-src"] = ["'none'"],
        ["base-uri"] = ["'self'"],
        ["form-action"] = ["'self'"],
        ["frame-src"] = ["'none'"],
        ["frame-ancestors"] = ["'none'"],
    };

    /// <summary>Adds sources to a directive (made if absent); the same source twice is kept once.</summary>
    public ContentSecurityPolicy Allow(string directive, params string[] sources)
    {
        if (!_directives.TryGetValue(directive, out var list))
            _directives[directive] = list = [];
        foreach (var source in sources)
            if (!list.Contains(source, StringComparer.Ordinal))
                list.Add(source);
        return this;
    }

    public IReadOnlyList<string> Sources(string directive) => _directives.TryGetValue(directive, out var list) ? list : [];

    public override string ToString() => string.Join("; ", _directives.Select(d => $"{d.Key} {string.Join(' ', d.Value)}"));
}
