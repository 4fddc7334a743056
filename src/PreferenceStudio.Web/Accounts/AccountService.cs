using Microsoft.AspNetCore.Identity;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Accounts;

/// <summary>
/// Creating people and changing what they may do; shared by the admin page and the `create-user` command. Every change
/// of rights (lock, role) renews the account's security stamp: that is what ends its open circuits and cookies at
/// their next action instead of at their next sign-in.
/// </summary>
public sealed class AccountService(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, PreferenceStudioDbContext db)
{
    /// <summary>Creates an account in one role; the errors say what is wrong with the input (messages only).</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(string email, string displayName, string role, string password) =>
        (await CreateAsync(new NewAccount { Email = email, DisplayName = displayName, Role = role, Password = password }))
            .Select(e => e.Message).ToList();

    /// <summary>Creates an account in one role, all or nothing; each error names the field it is about.</summary>
    public async Task<IReadOnlyList<AccountError>> CreateAsync(NewAccount input)
    {
        if (!Roles.All.Contains(input.Role))
            return [AccountRules.UnknownRole(input.Role)];
        if (!await roles.RoleExistsAsync(input.Role))
            await roles.CreateAsync(new IdentityRole(input.Role));
        await using var tx = await db.Database.BeginTransactionAsync();
        var user = new ApplicationUser { UserName = input.Email, Email = input.Email, EmailConfirmed = true, DisplayName = input.DisplayName.Trim() };
        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded)
            return created.Errors.Select(AccountRules.ToFieldError).ToList();
        var added = await users.AddToRoleAsync(user, input.Role);
        if (!added.Succeeded)
            return added.Errors.Select(AccountRules.ToFieldError).ToList();
        await tx.CommitAsync();
        return [];
    }

    /// <summary>Locks an account for good, or unlocks it, whether an admin or failed sign-ins locked it.</summary>
    /// <param name="actingUserId">The administrator doing it: nobody may lock themselves out.</param>
    public async Task<AccountError?> SetLockedAsync(string userId, bool locked, string actingUserId)
    {
        if (locked && userId == actingUserId)
            return new AccountError(AccountField.Lock, "You cannot lock your own account: ask another administrator.");
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return AccountRules.NoSuchAccount(userId);
        await using var tx = await db.Database.BeginTransactionAsync();
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (locked)
            await users.UpdateSecurityStampAsync(user);
        else // Unlocked with a clean slate: the failures that locked it must not lock it again at the next typo.
            await users.ResetAccessFailedCountAsync(user);
        await tx.CommitAsync();
        return null;
    }

    /// <summary>Gives an account exactly one role.</summary>
    /// <param name="actingUserId">The administrator doing it: nobody may take their own Admin role away.</param>
    public async Task<AccountError?> SetRoleAsync(string userId, string role, string actingUserId)
    {
        if (!Roles.All.Contains(role))
            return AccountRules.UnknownRole(role);
        if (userId == actingUserId && role != Roles.Admin)
            return new AccountError(AccountField.Role, "You cannot take your own Admin role away: ask another administrator.");
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return AccountRules.NoSuchAccount(userId);
        if (!await roles.RoleExistsAsync(role))
            await roles.CreateAsync(new IdentityRole(role));
        await using var tx = await db.Database.BeginTransactionAsync();
        var current = await users.GetRolesAsync(user);
        var removed = await users.RemoveFromRolesAsync(user, current.Where(r => r != role));
        var added = current.Contains(role) ? IdentityResult.Success : await users.AddToRoleAsync(user, role);
        if (removed.Errors.Concat(added.Errors).FirstOrDefault() is { } error)
            return new AccountError(AccountField.Role, error.Description);
        await users.UpdateSecurityStampAsync(user);
        await tx.CommitAsync();
        return null;
    }
}
