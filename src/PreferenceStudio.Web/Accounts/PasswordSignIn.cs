using Microsoft.AspNetCore.Identity;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Accounts;

/// <summary>
/// Password sign-in that answers an unknown email, a locked account and a wrong password alike, in time as well as in
/// words: Identity returns at once for the first two but hashes the password for the third, so the delay alone would
/// tell which emails have a usable account. Each path here verifies exactly one password hash.
/// </summary>
public sealed class PasswordSignIn(SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, IPasswordHasher<ApplicationUser> hasher)
{
    private static readonly ApplicationUser Decoy = new() { UserName = "decoy" };
    private static string? _decoyHash;

    public async Task<bool> SignInAsync(string userName, string password)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            SpendOnePasswordCheck(password);
            return false;
        }
        var wasLocked = await users.IsLockedOutAsync(user);
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (wasLocked) // refused before any password check
            SpendOnePasswordCheck(password);
        return result.Succeeded;
    }

    private void SpendOnePasswordCheck(string password)
    {
        _decoyHash ??= hasher.HashPassword(Decoy, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(Decoy, _decoyHash, password);
    }
}
