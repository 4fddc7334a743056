using System.Net;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Quality;

public class QualityPageTests : WebAppTest
{
    /// <summary>Two annotators on two pairwise tasks, each time on the same side, one of them seeing the pair swapped.</summary>
    private async Task SeedAgreeingLabelsAsync()
    {
        await using var db = Database.CreateContext();
        var ann1 = (await db.Users.SingleAsync(u => u.Email == "annotator@demo.local")).Id;
        var ann2 = (await db.Users.SingleAsync(u => u.Email == "annotator2@demo.local")).Id;
        var tasks = await db.Tasks.Where(t => t.Kind == TaskKind.Pairwise).OrderBy(t => t.Id).Take(2).ToListAsync();
        PairwiseAnnotation Label(long task, string who, int a, int b, PairwisePreference p) =>
            new(new AnnotationContext(task, who, null, Guid.NewGuid(), TimeSpan.FromSeconds(who == ann1 ? 10 : 30), [a, b], null, DateTimeOffset.UtcNow), a, b, p, false);
        var (t1, t2) = (tasks[0], tasks[1]);
        int Low(Core.Tasks.AnnotationTask t) => t.Responses.Min(r => r.ResponseId);
        int High(Core.Tasks.AnnotationTask t) => t.Responses.Max(r => r.ResponseId);
        db.Annotations.AddRange(
            Label(t1.Id, ann1, Low(t1), High(t1), PairwisePreference.AMuchBetter),  // canonical -2
            Label(t1.Id, ann2, High(t1), Low(t1), PairwisePreference.BBetter),      // canonical -1
            Label(t2.Id, ann1, Low(t2), High(t2), PairwisePreference.BMuchBetter),  // canonical +2
            Label(t2.Id, ann2, High(t2), Low(t2), PairwisePreference.AMuchBetter)); // canonical +2
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task QualityPage_TwoAnnotatorsAgreeingOnSides_ShowsAlphaAndFullAgreement()
    {
        await SeedAgreeingLabelsAsync();
        var researcher = await SignedInAsync("Researcher");

        var html = await researcher.PageAsync($"/projects/{DemoSeeder.ProjectSlug}/quality");

        // Units {-2, -1} and {2, 2}: D_o = 0.5, D_e = 8.5, alpha = 1 - 0.5 / 8.5.
        html.ShouldContain("data-testid=\"alpha-Pairwise\">0.941<");
        html.ShouldContain("100% of 2");
        html.ShouldContain("not enough overlapping labels");
        html.ShouldContain("data-testid=\"labels-per-day\"");
        html.ShouldContain("4 label(s) in these days.");
    }

    [Fact]
    public async Task QualityPage_Annotator_Returns403()
    {
        var annotator = await SignedInAsync("Annotator");
        (await annotator.GetAsync($"/projects/{DemoSeeder.ProjectSlug}/quality")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
