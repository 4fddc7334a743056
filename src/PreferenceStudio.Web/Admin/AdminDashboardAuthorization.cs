using Hangfire.Dashboard;
using PreferenceStudio.Core.Accounts;

namespace PreferenceStudio.Web.Admin;

/// <summary>
/// The Hangfire dashboard is for administrators signed in with the app's own cookie (authentication runs before the
/// dashboard, so the user is already known). Hangfire answers 401 to anonymous callers and 403 to other roles.
/// </summary>
public sealed class AdminDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().User is { Identity.IsAuthenticated: true } user && user.IsInRole(Roles.Admin);
}
