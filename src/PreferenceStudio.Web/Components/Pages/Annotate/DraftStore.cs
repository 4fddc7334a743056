using System.Security.Cryptography;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.JSInterop;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>
/// Keeps answers in progress in the browser's local storage, encrypted and signed with the app's data-protection keys
/// (kept in PostgreSQL, so any web node reads what another wrote), under the user's id and the draft's target
/// (assignment, or task for an edit). Best effort by design: a draft that cannot be read or written (circuit down,
/// storage full, keys rotated away) is no draft, never an error in the annotator's way.
/// </summary>
public sealed class DraftStore(ProtectedLocalStorage storage, ILogger<DraftStore> logger)
{
    private static string Key(string userId, string target) => $"ps-draft:{userId}:{target}";

    public async Task<AnswerDraft?> LoadAsync(string userId, string target)
    {
        try
        {
            var result = await storage.GetAsync<AnswerDraft>(Key(userId, target));
            return result.Success ? result.Value : null;
        }
        catch (Exception ex) when (IsBrowserFailure(ex))
        {
            logger.LogInformation(ex, "Draft {Target} of {User} could not be read; starting afresh", target, userId);
            return null;
        }
    }

    public async Task SaveAsync(string userId, AnswerDraft draft)
    {
        try
        {
            await storage.SetAsync(Key(userId, draft.Target), draft);
        }
        catch (Exception ex) when (IsBrowserFailure(ex))
        {
            logger.LogInformation(ex, "Draft {Target} of {User} could not be kept", draft.Target, userId);
        }
    }

    public async Task DeleteAsync(string userId, string target)
    {
        try
        {
            await storage.DeleteAsync(Key(userId, target));
        }
        catch (Exception ex) when (IsBrowserFailure(ex))
        {
            logger.LogInformation(ex, "Draft {Target} of {User} could not be removed", target, userId);
        }
    }

    internal static bool IsBrowserFailure(Exception ex) =>
        ex is JSException or JSDisconnectedException or TaskCanceledException or ObjectDisposedException
            or CryptographicException or InvalidOperationException or System.Text.Json.JsonException;
}
