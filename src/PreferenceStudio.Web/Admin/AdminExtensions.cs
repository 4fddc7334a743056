using PreferenceStudio.Web.Admin;

// In the app's root namespace, so the host's set-up finds it without a using.
namespace PreferenceStudio.Web;

public static class AdminExtensions
{
    /// <summary>What the admin pages use beyond the services the JSON API already has.</summary>
    public static WebApplicationBuilder AddAdminPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<Accounts.AccountQuery>();
        builder.Services.AddScoped<JobTriggers>();
        return builder;
    }
}
