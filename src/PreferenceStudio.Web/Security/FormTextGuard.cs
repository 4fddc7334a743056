using System.Text;
using Microsoft.Extensions.Options;

namespace PreferenceStudio.Web.Security;

/// <summary>
/// Refuses, at the edge, form fields that hold a NUL or another control character: PostgreSQL cannot store NUL in
/// text, and ASP.NET's form reader refuses control characters by throwing, which would otherwise surface as a 500
/// from whichever page read the form. The answer is a 400 naming the field. JSON bodies get the same rule from
/// <see cref="StorableTextConverter"/>.
/// </summary>
public static class FormTextGuard
{
    public static IApplicationBuilder UseFormTextGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || !request.HasFormContentType)
            {
                await next(context);
                return;
            }
            var urlEncoded = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
            if (urlEncoded)
                request.EnableBuffering(); // small forms: kept to find the offending field if the reader refuses one
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(context.RequestAborted);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // A body without a length that Kestrel stopped reading at the limit.
                var limits = context.RequestServices.GetRequiredService<IOptions<UploadLimits>>().Value;
                await RefusedRequest.AnswerAsync(context, StatusCodes.Status413PayloadTooLarge, limits.TooLarge);
                return;
            }
            catch (InvalidDataException ex)
            {
                var offending = urlEncoded ? await FindControlCharacterAsync(request) : null;
                await RefusedRequest.AnswerAsync(context, StatusCodes.Status400BadRequest,
                    offending is { } found ? Refusal(found.Field, found.Character) : $"The form could not be read ({ex.Message}); nothing was saved.");
                return;
            }
            foreach (var (key, values) in form)
                if ((FirstControl(key) ?? values.Select(v => FirstControl(v)).FirstOrDefault(c => c is not null)) is { } c)
                {
                    await RefusedRequest.AnswerAsync(context, StatusCodes.Status400BadRequest, Refusal(key, c));
                    return;
                }
            await next(context);
        });

    private static string Refusal(string field, char character) =>
        $"The field '{Printable(field)}' contains the control character U+{(int)character:X4}{(character == '\0' ? " (NUL)" : "")}, which cannot be stored; nothing was saved. Remove it and send the form again.";

    /// <summary>Control characters other than tab and line breaks, which text areas legitimately send.</summary>
    private static char? FirstControl(string? text)
    {
        foreach (var c in text ?? "")
            if (char.IsControl(c) && c is not ('\t' or '\r' or '\n'))
                return c;
        return null;
    }

    private static async Task<(string Field, char Character)?> FindControlCharacterAsync(HttpRequest request)
    {
        request.Body.Position = 0;
        using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        foreach (var pair in body.Split('&'))
        {
            var parts = pair.Split('=', 2);
            var key = Decode(parts[0]);
            if ((FirstControl(key) ?? FirstControl(parts.Length > 1 ? Decode(parts[1]) : null)) is { } c)
                return (key, c);
        }
        return null;
    }

    private static string Decode(string part) => Uri.UnescapeDataString(part.Replace('+', ' '));

    private static string Printable(string field) =>
        string.Concat(field.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
