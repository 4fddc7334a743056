using System.Security.Claims;
using PreferenceStudio.Core;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Jobs.Loop;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Loop;

/// <summary>
/// What the loop pages change, for a circuit: each call asks the <see cref="AccessGate"/> again (it throws
/// <see cref="AccessRefusedException"/> when the user may not) and runs in a scope of its own.
/// </summary>
public sealed class LoopActions(AccessGate gate, IServiceScopeFactory scopes)
{
    public async Task<LoopSettings?> SettingsAsync(ClaimsPrincipal user, int projectId, CancellationToken ct)
    {
        await gate.RequireAsync(user, Policies.Research, ct);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LoopSettingsStore>().GetAsync(projectId, ct);
    }

    /// <summary>Saves the form; the problems, each naming its field, and nothing changed when there are any.</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(ClaimsPrincipal user, int projectId, LoopSettingsModel model, CancellationToken ct)
    {
        await gate.RequireAsync(user, Policies.Research, ct);
        if (StorableText.Problem(model.Cron) is { } problem)
            return [$"cron: {problem}"];
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LoopSettingsStore>()
            .SaveAsync(projectId, model.BasePolicyId, model.ToChange(), NameOf(user), ct);
    }

    /// <summary>Starts the project's next round in the user's name: its number, or why none started.</summary>
    public async Task<(int? Number, IReadOnlyList<string> Errors)> StartRoundAsync(ClaimsPrincipal user, int projectId, CancellationToken ct)
    {
        await gate.RequireAsync(user, Policies.Research, ct);
        await using var scope = scopes.CreateAsyncScope();
        var (round, errors) = await scope.ServiceProvider.GetRequiredService<RoundLauncher>().StartAsync(projectId, NameOf(user), ct);
        return (round?.Number, errors);
    }

    /// <summary>False when the round had already finished (or does not exist).</summary>
    public async Task<bool> CancelRoundAsync(ClaimsPrincipal user, long roundId, CancellationToken ct)
    {
        await gate.RequireAsync(user, Policies.Research, ct);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RoundLauncher>().CancelAsync(roundId, ct);
    }

    private static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "?";
}
