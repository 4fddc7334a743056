using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace PreferenceStudio.Web.Security;

/// <summary>
/// How fast sign-in may be tried (configuration section "SignIn"). Throttling comes first and lockout much later, so
/// that guessing is slow and locking someone out takes many minutes of trying, which an administrator can undo from
/// the users page.
/// </summary>
public sealed class SignInThrottleOptions
{
    /// <summary>Sign-in posts one client address may make per minute, whichever accounts they name.</summary>
    public int PerAddressPerMinute { get; set; } = 20;

    /// <summary>Sign-in posts naming one account per <see cref="AccountWindow"/>, from any address.</summary>
    public int PerAccount { get; set; } = 5;

    public TimeSpan AccountWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed passwords that lock an account (for <see cref="LockoutMinutes"/>): at the throttle's pace, 4 minutes of trying.</summary>
    public int LockoutAfterFailures { get; set; } = 20;

    public int LockoutMinutes { get; set; } = 15;

    public const string TooMany = "Too many sign-in attempts: wait a minute, then try again.";
}

public static class SignInThrottle
{
    private const string SignInPath = "/account/login";

    public static IHostApplicationBuilder AddSignInThrottle(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInThrottleOptions>().BindConfiguration("SignIn")
            .Validate(o => o.PerAddressPerMinute > 0 && o.PerAccount > 0 && o.AccountWindow > TimeSpan.Zero,
                "SignIn:PerAddressPerMinute, SignIn:PerAccount and SignIn:AccountWindow must be positive.")
            .Validate(o => o.LockoutAfterFailures > o.PerAccount,
                "SignIn:LockoutAfterFailures must be larger than SignIn:PerAccount: lock only after throttling has slowed the guessing.");
        builder.Services.AddOptions<Microsoft.AspNetCore.Identity.IdentityOptions>().Configure<IOptions<SignInThrottleOptions>>((identity, throttle) =>
        {
            identity.Lockout.MaxFailedAccessAttempts = throttle.Value.LockoutAfterFailures;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(throttle.Value.LockoutMinutes);
        });
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<SignInThrottleOptions>>((limiter, throttle) =>
        {
            var o = throttle.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context)
                    ? RateLimitPartition.GetFixedWindowLimiter("address:" + context.Connection.RemoteIpAddress, _ => Window(o.PerAddressPerMinute, TimeSpan.FromMinutes(1)))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context) && AccountOf(context) is { } account
                    ? RateLimitPartition.GetFixedWindowLimiter("account:" + account, _ => Window(o.PerAccount, o.AccountWindow))
                    : RateLimitPartition.GetNoLimiter("")));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (rejected, _) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = ((int)o.AccountWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await RefusedRequest.AnswerAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, SignInThrottleOptions.TooMany);
            };
        });
        return builder;
    }

    /// <summary>After <see cref="FormTextGuard"/>, which has read the form, so the account is known here.</summary>
    public static IApplicationBuilder UseSignInThrottle(this IApplicationBuilder app) => app.UseRateLimiter();

    private static bool IsSignIn(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>The email the form names, as Identity compares it; read from the form already buffered.</summary>
    private static string? AccountOf(HttpContext context) =>
        context.Request.HasFormContentType && context.Request.Form["Input.Email"].ToString() is { Length: > 0 } email
            ? email.Trim().ToUpperInvariant()
            : null;

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
}
