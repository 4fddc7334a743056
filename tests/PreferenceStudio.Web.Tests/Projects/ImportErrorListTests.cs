using PreferenceStudio.Core.Import;
using PreferenceStudio.Web.Components.Pages.Projects;

namespace PreferenceStudio.Web.Tests.Projects;

public class ImportErrorListTests : ComponentTest
{
    [Fact]
    public void ImportErrorList_ErrorsFromAFile_ShowsEachWithItsLineAndFieldAndTheFileTextEncoded()
    {
        ImportError[] errors =
        [
            new(2, "responses[0].model", "must name the model or source that wrote it"),
            new(5, "id", "'<img src=x onerror=alert(1)>' is already used on line 1."),
        ];

        var list = Render<ImportErrorList>(p => p.Add(c => c.Errors, errors));

        var rows = list.FindAll("[data-testid=import-error]");
        rows.Select(r => (r.QuerySelector("[data-testid=error-line]")!.TextContent, r.QuerySelector("[data-testid=error-field]")!.TextContent))
            .ShouldBe([("2", "responses[0].model"), ("5", "id")]);
        rows[1].QuerySelector("[data-testid=error-message]")!.TextContent.ShouldBe(errors[1].Message);
        list.FindAll("img").ShouldBeEmpty();
        list.Find("[data-testid=import-errors]").TextContent.ShouldContain("these 2 problems");
    }

    [Fact]
    public void ImportErrorList_MoreThanShown_CapsTheTableAndSaysHowManyMore()
    {
        var errors = Enumerable.Range(1, ImportErrorList.MaxShown + 5).Select(i => new ImportError(i, "", "not valid JSON")).ToList();

        var list = Render<ImportErrorList>(p => p.Add(c => c.Errors, errors));

        list.FindAll("[data-testid=import-error]").Count.ShouldBe(ImportErrorList.MaxShown);
        list.Find("[data-testid=import-errors-more]").TextContent.ShouldContain("and 5 more");
    }

    [Fact]
    public void ImportErrorList_RefusalOfTheWholeFile_ShowsNoLineNumber()
    {
        var list = Render<ImportErrorList>(p => p.Add(c => c.Errors, [new ImportError(0, "", "The file is larger than 25 MiB.")]));

        list.Find("[data-testid=error-line]").TextContent.ShouldBeEmpty();
        list.Find("[data-testid=import-errors]").TextContent.ShouldContain("Fix this");
    }
}
