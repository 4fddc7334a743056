using Microsoft.AspNetCore.Identity;
using PreferenceStudio.Web.Accounts;

namespace PreferenceStudio.Web.Tests.Admin;

public class AccountRulesTests
{
    private static readonly PasswordOptions AppRules = new() { RequiredLength = 10 };

    [Fact]
    public void PasswordErrors_StrongEnough_NoError() =>
        AccountRules.PasswordErrors(AppRules, "Str0ng-enough!").ShouldBeEmpty();

    [Fact]
    public void PasswordErrors_LowerCaseLettersOnly_SaysEveryMissingKindWithIdentitysWords() =>
        AccountRules.PasswordErrors(AppRules, "abcdefghijk").ShouldBe([
            "Passwords must have at least one digit ('0'-'9').",
            "Passwords must have at least one uppercase ('A'-'Z').",
            "Passwords must have at least one non alphanumeric character.",
        ]);

    [Fact]
    public void Describe_AppRules_NamesTheLengthAndEachKind() =>
        AccountRules.Describe(AppRules).ShouldBe("Needs at least 10 characters, an upper case letter, a lower case letter, a digit, a symbol.");

    [Theory]
    [InlineData("DuplicateUserName", AccountField.Email)]
    [InlineData("DuplicateEmail", AccountField.Email)]
    [InlineData("InvalidEmail", AccountField.Email)]
    [InlineData("PasswordTooShort", AccountField.Password)]
    [InlineData("PasswordRequiresUpper", AccountField.Password)]
    [InlineData("UserAlreadyInRole", AccountField.Role)]
    [InlineData("ConcurrencyFailure", AccountField.Account)]
    public void ToFieldError_IdentityCode_LandsAtTheFieldItIsAbout(string code, AccountField field) =>
        AccountRules.ToFieldError(new IdentityError { Code = code, Description = "x" }).Field.ShouldBe(field);

    [Theory]
    [InlineData("", "Email is required.")]
    [InlineData("no-at-sign", "'no-at-sign' is not an email address.")]
    public void EmailErrors_BadEmail_SaysWhat(string email, string error) =>
        AccountRules.EmailErrors(email).ShouldBe([error]);
}
