using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;

namespace PreferenceStudio.Testing.Http;

/// <summary>
/// Annotator accounts that can sign in through the login form: Identity's rows written directly, every account with
/// the same password, hashed once (a PBKDF2 hash per account would cost seconds for 64 accounts).
/// </summary>
public static class AnnotatorAccounts
{
    public const string Password = "load-Annotator-2026";
    private const string Role = "Annotator";
    private const string NormalizedRole = "ANNOTATOR";

    /// <summary>Makes <paramref name="count"/> accounts in the Annotator role; their emails, in order.</summary>
    public static async Task<List<string>> CreateAsync(PreferenceStudioDbContext db, int count, string prefix = "load")
    {
        var role = await db.Roles.SingleOrDefaultAsync(r => r.NormalizedName == NormalizedRole);
        if (role is null)
        {
            role = new IdentityRole(Role) { NormalizedName = NormalizedRole };
            db.Roles.Add(role);
        }
        var hash = new PasswordHasher<ApplicationUser>().HashPassword(new ApplicationUser(), Password);
        var emails = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var email = $"{prefix}{i}@example.org";
            var user = new ApplicationUser
            {
                UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true, DisplayName = $"Load annotator {i}", PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString("N"), LockoutEnabled = true,
            };
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
            emails.Add(email);
        }
        await db.SaveChangesAsync();
        return emails;
    }
}
