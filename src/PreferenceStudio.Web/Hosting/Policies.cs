namespace PreferenceStudio.Web.Hosting;

/// <summary>Authorization policies by what a person may do, not by who they are.</summary>
public static class Policies
{
    public const string Admin = "Admin";
    public const string Research = "Research";
    public const string Annotate = "Annotate";
}
