using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Grids;

namespace PreferenceStudio.Web.Accounts;

public sealed record AccountRow(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsLockedOut)
{
    /// <summary>The app gives each account one role; an account that somehow has several shows the first.</summary>
    public string Role => Roles.Count > 0 ? Roles[0] : "";
}

/// <summary>Which accounts the grid shows: part of the email, one role, locked or not; null means any.</summary>
public sealed record AccountFilter(string? Email = null, string? Role = null, bool? Locked = null);

/// <summary>A page of accounts, filtered, sorted and cut in the SQL: the grid never loads every account.</summary>
public sealed class AccountQuery(PreferenceStudioDbContext db, TimeProvider clock)
{
    public const string SortByEmail = nameof(AccountRow.Email);
    public const string SortByName = nameof(AccountRow.DisplayName);
    public const string SortByLocked = nameof(AccountRow.IsLockedOut);

    public async Task<Paged<AccountRow>> PageAsync(AccountFilter filter, PageRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var users = db.Users.AsNoTracking();
        if (PageRequest.Contains(filter.Email) is { } pattern)
            users = users.Where(u => EF.Functions.ILike(u.Email!, pattern, PageRequest.Escape));
        if (!string.IsNullOrEmpty(filter.Role))
            users = users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == filter.Role)));
        if (filter.Locked is { } locked)
            users = locked
                ? users.Where(u => u.LockoutEnd != null && u.LockoutEnd > now)
                : users.Where(u => u.LockoutEnd == null || u.LockoutEnd <= now);

        var total = await users.CountAsync(cancellationToken);
        var rows = await users.SortBy(request)
            .Column(SortByName, u => u.DisplayName)
            .Column(SortByLocked, u => u.LockoutEnd != null && u.LockoutEnd > now)
            .Otherwise(u => u.Email).ThenBy(u => u.Email)
            .PageOf(request)
            .Select(u => new
            {
                u.Id, u.Email, u.DisplayName,
                Locked = u.LockoutEnd != null && u.LockoutEnd > now,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).OrderBy(n => n).ToList(),
            })
            .ToListAsync(cancellationToken);
        return new Paged<AccountRow>(rows.Select(r => new AccountRow(r.Id, r.Email ?? "", r.DisplayName, r.Roles, r.Locked)).ToList(), total);
    }
}
