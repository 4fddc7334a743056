using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using PreferenceStudio.Core.Accounts;

namespace PreferenceStudio.Web.Accounts;

/// <summary>
/// The field rules of a new account, checked as the administrator types. They mirror Identity's options; Identity's
/// own validators still run when the account is created, and their errors land at the same fields.
/// </summary>
public static class AccountRules
{
    private static readonly EmailAddressAttribute EmailFormat = new();

    public static IEnumerable<string> EmailErrors(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
            yield return "Email is required.";
        else if (!EmailFormat.IsValid(email))
            yield return $"'{email}' is not an email address.";
    }

    public static IEnumerable<string> PasswordErrors(PasswordOptions rules, string? password)
    {
        password ??= "";
        if (password.Length < rules.RequiredLength)
            yield return $"Passwords must be at least {rules.RequiredLength} characters.";
        if (rules.RequireDigit && !password.Any(char.IsAsciiDigit))
            yield return "Passwords must have at least one digit ('0'-'9').";
        if (rules.RequireLowercase && !password.Any(char.IsAsciiLetterLower))
            yield return "Passwords must have at least one lowercase ('a'-'z').";
        if (rules.RequireUppercase && !password.Any(char.IsAsciiLetterUpper))
            yield return "Passwords must have at least one uppercase ('A'-'Z').";
        if (rules.RequireNonAlphanumeric && password.All(char.IsAsciiLetterOrDigit))
            yield return "Passwords must have at least one non alphanumeric character.";
        if (password.Distinct().Count() < rules.RequiredUniqueChars)
            yield return $"Passwords must use at least {rules.RequiredUniqueChars} different characters.";
    }

    /// <summary>One line for the form's helper text, from the same options.</summary>
    public static string Describe(PasswordOptions rules)
    {
        var parts = new List<string> { $"at least {rules.RequiredLength} characters" };
        if (rules.RequireUppercase) parts.Add("an upper case letter");
        if (rules.RequireLowercase) parts.Add("a lower case letter");
        if (rules.RequireDigit) parts.Add("a digit");
        if (rules.RequireNonAlphanumeric) parts.Add("a symbol");
        return "Needs " + string.Join(", ", parts) + ".";
    }

    /// <summary>Identity's error codes say which input they are about ("PasswordTooShort", "DuplicateEmail", ...).</summary>
    public static AccountError ToFieldError(IdentityError error) => new(
        error.Code switch
        {
            var c when c.StartsWith("Password", StringComparison.Ordinal) => AccountField.Password,
            var c when c.Contains("Email", StringComparison.Ordinal) || c.Contains("UserName", StringComparison.Ordinal) => AccountField.Email,
            var c when c.Contains("Role", StringComparison.Ordinal) => AccountField.Role,
            _ => AccountField.Account,
        },
        error.Description);

    public static AccountError UnknownRole(string role) =>
        new(AccountField.Role, $"Role must be one of {string.Join(", ", Roles.All)}, got '{role}'.");

    public static AccountError NoSuchAccount(string id) => new(AccountField.Account, $"No account with id {id}: it may have been deleted.");
}
