using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using PreferenceStudio.Web.Projects;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Components.Pages.Projects;

/// <summary>
/// What the components that call use cases share: the user as the circuit knows them at the moment a handler runs (not when the
/// page opened), and refusals shown as a snackbar rather than a broken circuit.
/// </summary>
public abstract class UseCaseComponent : ComponentBase
{
    [Inject] protected AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;

    protected async Task<ClaimsPrincipal> UserAsync() => (await Authentication.GetAuthenticationStateAsync()).User;

    /// <summary>Runs a use case as the current user; false when it was refused (the snackbar says why).</summary>
    protected async Task<bool> RunAsync(Func<ClaimsPrincipal, Task> action)
    {
        try
        {
            await action(await UserAsync());
            return true;
        }
        catch (AccessRefusedException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            return false;
        }
    }
}
