using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Accounts;

public sealed record AccountRow(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsLockedOut);

/// <summary>Creating people and changing what they may do; shared by the admin page and the `create-user` command.</summary>
public sealed class AccountService(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, PreferenceStudioDbContext db)
{
    public async Task<IReadOnlyList<AccountRow>> ListAsync(CancellationToken cancellationToken)
    {
        var rolesByUser = await db.UserRoles
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return (await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken))
            .Select(u => new AccountRow(u.Id, u.Email ?? "", u.DisplayName,
                rolesByUser.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToList(),
                u.LockoutEnd is { } end && end > now))
            .ToList();
    }

    /// <summary>Creates an account in one role; the errors say what is wrong with the input.</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(string email, string displayName, string role, string password)
    {
        if (!Roles.All.Contains(role))
            return [$"Role must be one of {string.Join(", ", Roles.All)}, got '{role}'."];
        if (!await roles.RoleExistsAsync(role))
            await roles.CreateAsync(new IdentityRole(role));
        await using var tx = await db.Database.BeginTransactionAsync();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName.Trim() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return created.Errors.Select(e => e.Description).ToList();
        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
            return added.Errors.Select(e => e.Description).ToList();
        await tx.CommitAsync();
        return [];
    }

    /// <summary>Locks an account for good, or unlocks it, whether an admin or failed sign-ins locked it.</summary>
    public async Task SetLockedAsync(string userId, bool locked)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new KeyNotFoundException($"No account with id {userId}.");
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        // Unlocked with a clean slate: the failures that locked it must not lock it again at the next typo.
        if (!locked)
            await users.ResetAccessFailedCountAsync(user);
    }
}
