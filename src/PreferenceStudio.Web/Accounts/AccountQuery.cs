using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Accounts;

public sealed record AccountRow(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsLockedOut)
{
    /// <summary>The app gives each account one role; an account that somehow has several shows the first.</summary>
    public string Role => Roles.Count > 0 ? Roles[0] : "";
}

/// <summary>Which accounts the grid shows: part of the email, one role, locked or not; null means any.</summary>
public sealed record AccountFilter(string? Email = null, string? Role = null, bool? Locked = null);

public sealed record AccountPage(IReadOnlyList<AccountRow> Rows, int Total);

/// <summary>A page of accounts, filtered, sorted and cut in the SQL: the grid never loads every account.</summary>
public sealed class AccountQuery(PreferenceStudioDbContext db, TimeProvider clock)
{
    public const string SortByEmail = nameof(AccountRow.Email);
    public const string SortByName = nameof(AccountRow.DisplayName);
    public const string SortByLocked = nameof(AccountRow.IsLockedOut);

    public async Task<AccountPage> PageAsync(AccountFilter filter, string? sortBy, bool descending, int page, int pageSize, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Email))
            users = users.Where(u => EF.Functions.ILike(u.Email!, "%" + EscapeLike(filter.Email.Trim()) + "%", "\\"));
        if (!string.IsNullOrEmpty(filter.Role))
            users = users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == filter.Role)));
        if (filter.Locked is { } locked)
            users = locked
                ? users.Where(u => u.LockoutEnd != null && u.LockoutEnd > now)
                : users.Where(u => u.LockoutEnd == null || u.LockoutEnd <= now);

        var total = await users.CountAsync(cancellationToken);
        users = (sortBy, descending) switch
        {
            (SortByName, false) => users.OrderBy(u => u.DisplayName).ThenBy(u => u.Email),
            (SortByName, true) => users.OrderByDescending(u => u.DisplayName).ThenBy(u => u.Email),
            (SortByLocked, false) => users.OrderBy(u => u.LockoutEnd != null && u.LockoutEnd > now).ThenBy(u => u.Email),
            (SortByLocked, true) => users.OrderByDescending(u => u.LockoutEnd != null && u.LockoutEnd > now).ThenBy(u => u.Email),
            (_, true) => users.OrderByDescending(u => u.Email),
            _ => users.OrderBy(u => u.Email),
        };
        var rows = await users.Skip(page * pageSize).Take(pageSize)
            .Select(u => new
            {
                u.Id, u.Email, u.DisplayName,
                Locked = u.LockoutEnd != null && u.LockoutEnd > now,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).OrderBy(n => n).ToList(),
            })
            .ToListAsync(cancellationToken);
        return new AccountPage(rows.Select(r => new AccountRow(r.Id, r.Email ?? "", r.DisplayName, r.Roles, r.Locked)).ToList(), total);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
