using PreferenceStudio.Core.Accounts;

namespace PreferenceStudio.Web.Seeding;

/// <summary>One account per role for a local demo. Never seeded unless `seed` is run.</summary>
public static class DemoAccounts
{
    public sealed record Account(string Email, string Password, string DisplayName, string Role);

    public static readonly IReadOnlyList<Account> All =
    [
        new("admin@demo.local", "demo-Admin-2026", "Ada Admin", Roles.Admin),
        new("researcher@demo.local", "demo-Researcher-2026", "Rui Researcher", Roles.Researcher),
        new("annotator@demo.local", "demo-Annotator-2026", "Ana Annotator", Roles.Annotator),
        new("annotator2@demo.local", "demo-Annotator-2026", "Ben Annotator", Roles.Annotator),
    ];
}
