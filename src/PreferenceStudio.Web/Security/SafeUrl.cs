namespace PreferenceStudio.Web.Security;

/// <summary>
/// The one allow-list for addresses we write into pages from untrusted text: http, https, mailto, or relative.
/// Browsers drop tabs and line breaks anywhere in a URL and control characters or spaces around it before they look
/// for the scheme, so "java&#9;script:" and " javascript:" are javascript: URLs to them: the check looks at the
/// address as the browser will. Anything with a colon before the first '/', '?' or '#' that is not an allowed
/// scheme is refused, whether or not a browser would take it for one.
/// </summary>
public static class SafeUrl
{
    private static readonly string[] AllowedSchemes = ["http", "https", "mailto"];

    /// <summary>The address itself when it is allowed; otherwise "#", a link that goes nowhere.</summary>
    public static string OrFragment(string url) => IsAllowed(url) ? url : "#";

    public static bool IsAllowed(string? url)
    {
        if (string.IsNullOrEmpty(url))
            return true;
        var seen = AsBrowserSees(url);
        var end = seen.IndexOfAny(['/', '?', '#']);
        var colon = seen.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || (end >= 0 && end < colon))
            return true;
        var scheme = seen[..colon];
        return AllowedSchemes.Any(s => string.Equals(s, scheme, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>C0 controls and the space: what the WHATWG URL parser strips from both ends of an address.</summary>
    private static readonly char[] ControlsAndSpace = Enumerable.Range(0, 0x21).Select(i => (char)i).ToArray();

    /// <summary>The WHATWG URL parser's first steps: strip leading and trailing C0 controls and spaces, remove tab, LF, CR.</summary>
    private static string AsBrowserSees(string url) =>
        new string(url.Where(c => c is not ('\t' or '\n' or '\r')).ToArray()).Trim(ControlsAndSpace);
}
