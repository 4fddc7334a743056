using PreferenceStudio.Core.Accounts;

namespace PreferenceStudio.Web.Accounts;

/// <summary>What an administrator types to create an account.</summary>
public sealed class NewAccount
{
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Role { get; set; } = Roles.Annotator;
    public string Password { get; set; } = "";
}

/// <summary>The input an <see cref="AccountError"/> is about, so a form shows it at that field.</summary>
public enum AccountField { Email, DisplayName, Role, Password, Lock, Account }

public sealed record AccountError(AccountField Field, string Message);
