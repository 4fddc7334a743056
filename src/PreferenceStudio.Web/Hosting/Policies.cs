using Microsoft.AspNetCore.Authorization;
using PreferenceStudio.Core.Accounts;

namespace PreferenceStudio.Web.Hosting;

/// <summary>Authorization policies by what a person may do, not by who they are.</summary>
public static class Policies
{
    public const string Admin = "Admin";
    public const string Research = "Research";
    public const string Annotate = "Annotate";

    public static AuthorizationBuilder AddPreferenceStudioPolicies(this IServiceCollection services) =>
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Research, p => p.RequireRole(Roles.Admin, Roles.Researcher))
            .AddPolicy(Annotate, p => p.RequireRole(Roles.Admin, Roles.Researcher, Roles.Annotator));

    /// <summary>What a user who fails <paramref name="policy"/> is told.</summary>
    public static string Refusal(string policy) => policy switch
    {
        Admin => "Only administrators may do this.",
        Research => "Only researchers and administrators may do this.",
        _ => "You may not do this.",
    };
}
