using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PreferenceStudio.Web.Circuits;
using PreferenceStudio.Web.Security;

// In the app's root namespace, so the host's set-up finds it without a using.
namespace PreferenceStudio.Web;

public static class CircuitSecurityExtensions
{
    /// <summary>
    /// Circuit settings from the `Circuits` section, and the account checks that take a locked, deleted or changed
    /// account's rights away at its next action: on a circuit (before each event, and periodically) and on HTTP
    /// requests (the cookie's security stamp).
    /// </summary>
    public static WebApplicationBuilder AddCircuitSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CircuitSettings>().Bind(builder.Configuration.GetSection(CircuitSettings.Section));
        services.AddOptions<CircuitOptions>().Configure<IOptions<CircuitSettings>>((circuit, settings) =>
        {
            circuit.DisconnectedCircuitRetentionPeriod = settings.Value.DisconnectedCircuitRetentionPeriod;
            circuit.DisconnectedCircuitMaxRetained = settings.Value.DisconnectedCircuitMaxRetained;
            circuit.JSInteropDefaultCallTimeout = settings.Value.JSInteropDefaultCallTimeout;
        });
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<CircuitSettings>>((stamp, settings) =>
            stamp.ValidationInterval = settings.Value.CookieStampValidationInterval);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AccountAccess>();
        // Replaces the plain ServerAuthenticationStateProvider that AddRazorComponents registers.
        services.AddScoped<AuthenticationStateProvider, RevalidatingAccountStateProvider>();
        services.AddScoped<AccessGate>();
        services.AddScoped<AccountRecheckCircuitHandler>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<AccountRecheckCircuitHandler>());
        return builder;
    }
}
