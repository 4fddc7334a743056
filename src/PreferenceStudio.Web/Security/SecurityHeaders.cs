namespace PreferenceStudio.Web.Security;

/// <summary>The headers every response carries: pages, the JSON API, static files, status and error pages.</summary>
public sealed class SecurityHeadersOptions
{
    public ContentSecurityPolicy ContentSecurityPolicy { get; } = new();

    /// <summary>Addresses of this app go to other sites without path or query (a project slug or task id stays here).</summary>
    public string ReferrerPolicy { get; set; } = "same-origin";
}

public static class SecurityHeadersExtensions
{
    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services, Action<SecurityHeadersOptions>? configure = null)
    {
        services.AddOptions<SecurityHeadersOptions>().Configure(o => configure?.Invoke(o));
        return services;
    }

    /// <summary>
    /// First in the pipeline. The headers are set when the response starts, so the exception handler and the status
    /// code pages, which clear or re-execute the response, cannot lose them.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityHeadersOptions>>().Value;
        var policy = options.ContentSecurityPolicy.ToString();
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = options.ReferrerPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
