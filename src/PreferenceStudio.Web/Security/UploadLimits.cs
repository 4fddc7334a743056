using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace PreferenceStudio.Web.Security;

/// <summary>The one upload limit (configuration section "Uploads"); every other size limit is derived from it.</summary>
public sealed class UploadLimits
{
    /// <summary>The largest file one upload takes: 25 MiB unless Uploads:MaxFileBytes says otherwise.</summary>
    public long MaxFileBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>What a form with such a file may add: the other fields and the multipart framing.</summary>
    public const long FormAllowance = 1024 * 1024;

    /// <summary>Bodies up to this size are read and thrown away before the answer, so that a browser shows it.</summary>
    public const long DrainAtMost = 1024L * 1024 * 1024;

    public long MaxRequestBytes => MaxFileBytes + FormAllowance;

    /// <summary>The one message every too-large upload gets, whatever its size and whichever check caught it.</summary>
    public string TooLarge => $"The file is larger than {Describe(MaxFileBytes)}, the most one upload takes: split it into smaller files.";

    private static string Describe(long bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes} bytes";
}

public static class UploadLimitsExtensions
{
    public static IHostApplicationBuilder AddUploadLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UploadLimits>().BindConfiguration("Uploads")
            .Validate(l => l.MaxFileBytes > 0, "Uploads:MaxFileBytes must be a positive number of bytes.");
        // Kestrel stops reading any body past the limit, chunked ones included (they carry no Content-Length).
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<UploadLimits>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBytes);
        builder.Services.AddOptions<FormOptions>().Configure<IOptions<UploadLimits>>((form, limits) =>
            form.MultipartBodyLengthLimit = limits.Value.MaxRequestBytes);
        return builder;
    }

    /// <summary>
    /// A request that says it is larger than the limit is answered 413 with <see cref="UploadLimits.TooLarge"/> before
    /// anything reads its form, so no page or endpoint fails half-way through a body Kestrel refuses. The body is
    /// drained first (up to <see cref="UploadLimits.DrainAtMost"/>): a browser still sending shows an answer only
    /// once it has sent everything.
    /// </summary>
    public static IApplicationBuilder UseUploadLimits(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<IOptions<UploadLimits>>().Value;
        return app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength is not { } length || length <= limits.MaxRequestBytes
                || context.Features.Get<IStatusCodeReExecuteFeature>() is not null)
            {
                await next(context);
                return;
            }
            if (length <= UploadLimits.DrainAtMost && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = length;
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            }
            await RefusedRequest.AnswerAsync(context, StatusCodes.Status413PayloadTooLarge, limits.TooLarge);
        });
    }
}
