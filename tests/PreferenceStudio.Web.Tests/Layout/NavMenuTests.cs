using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Web.Components.Layout;

namespace PreferenceStudio.Web.Tests.Layout;

public class NavMenuTests : ComponentTest
{
    private string[] LinksFor(string role)
    {
        SignInAs(role);
        var menu = Render<NavMenu>();
        return menu.FindAll("a[href]").Select(a => a.GetAttribute("href")!).ToArray();
    }

    [Fact]
    public void NavMenu_Annotator_ShowsOnlyHomeAndAnnotate() =>
        LinksFor(Roles.Annotator).ShouldBe(["/", "/annotate"]);

    [Fact]
    public void NavMenu_Researcher_AddsProjectsAndTrainingButNoAdminPages() =>
        LinksFor(Roles.Researcher).ShouldBe(["/", "/annotate", "/projects", "/training"]);

    [Fact]
    public void NavMenu_Admin_ShowsEveryPage() =>
        LinksFor(Roles.Admin).ShouldBe(["/", "/annotate", "/projects", "/training", "/admin/users", "/admin/jobs"]);
}
