using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Circuits;

/// <summary>
/// Stands before every inbound activity of one circuit (a click, a key, a JS call into .NET, a navigation): the
/// account must still be allowed, or the activity does not run and the circuit's user becomes anonymous, which makes
/// AuthorizeRouteView send the browser to sign in. Without it, a locked account's open page keeps working until the
/// next revalidation. A "still allowed" answer is reused for <see cref="CircuitSettings.AccessCheckCacheDuration"/>.
/// </summary>
public sealed class AccountRecheckCircuitHandler(
    AuthenticationStateProvider authentication,
    AccountAccess access,
    IOptions<CircuitSettings> settings,
    TimeProvider clock,
    ILogger<AccountRecheckCircuitHandler> logger) : CircuitHandler
{
    private bool _startedSignedIn;
    private bool _revoked;
    private long _allowedUntil;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken) =>
        _startedSignedIn = (await authentication.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated == true;

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context => RunInOrderAsync(context.Circuit.Id, () => next(context));

    // The check before the newest activity; the next one waits for it.
    private Task<bool> _lastCheck = Task.FromResult(true);

    /// <summary>
    /// Runs an activity once the account may act, in the order the activities arrived. A check can wait on the
    /// database; without the chain a later activity whose check answered from the cache would overtake it, and a
    /// key pressed just before Enter would land after the submit it was meant for (seen in the circuit bench).
    /// The checks are chained, not the activities: an activity may itself wait on a later one (a JS call's answer).
    /// </summary>
    public async Task RunInOrderAsync(string circuitId, Func<Task> activity)
    {
        var check = CheckAfterAsync(_lastCheck, circuitId);
        _lastCheck = check;
        if (await check)
            await activity();
    }

    private async Task<bool> CheckAfterAsync(Task<bool> previous, string circuitId)
    {
        // A check that failed (the database away) is its own activity's failure: this one asks afresh, in its turn.
        await ((Task)previous).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        return await MayActAsync(circuitId);
    }

    /// <summary>Whether the circuit's next activity may run; signs the circuit out the first time it may not.</summary>
    public async Task<bool> MayActAsync(string circuitId)
    {
        if (_revoked)
            return false;
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.Identity?.IsAuthenticated != true)
            // Signed out by the revalidating provider: nothing of the old user's page may run any more.
            return !(_revoked = _startedSignedIn);
        var now = clock.GetTimestamp();
        if (now < _allowedUntil)
            return true;
        if (await access.IsStillAllowedAsync(user))
        {
            _allowedUntil = now + (long)(settings.Value.AccessCheckCacheDuration.TotalSeconds * clock.TimestampFrequency);
            return true;
        }
        _revoked = true;
        logger.LogInformation("Circuit {Circuit} signed out: account {User} is locked, deleted or changed.", circuitId, user.Identity.Name);
        if (authentication is IHostEnvironmentAuthenticationStateProvider circuitState)
            circuitState.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        return false;
    }
}
