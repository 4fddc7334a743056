namespace PreferenceStudio.Core.Accounts;

public static class Roles
{
    public const string Admin = "Admin";
    public const string Researcher = "Researcher";
    public const string Annotator = "Annotator";

    public static readonly IReadOnlyList<string> All = [Admin, Researcher, Annotator];
}
