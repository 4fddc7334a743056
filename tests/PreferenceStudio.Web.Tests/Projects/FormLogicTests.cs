using PreferenceStudio.Core;
using PreferenceStudio.Jobs;
using PreferenceStudio.Web.Grids;
using PreferenceStudio.Web.Projects;

namespace PreferenceStudio.Web.Tests.Projects;

/// <summary>The pieces of logic the project components lean on, without a database.</summary>
public class FormLogicTests
{
    [Fact]
    public void Validate_ServerRefusal_ShowsAtItsFieldUntilTheValueChanges()
    {
        var form = new ProjectSetupForm { Name = "A", Slug = "taken" };
        var validator = new ProjectSetupValidator();

        validator.Refuse(form, [new FieldError(nameof(ProjectSetupForm.Slug), "exists already")]);

        validator.Validate(form, nameof(ProjectSetupForm.Slug)).ShouldBe(["exists already"]);
        validator.Validate(form, nameof(ProjectSetupForm.Name)).ShouldBeEmpty();
        form.Slug = "free";
        validator.Validate(form, nameof(ProjectSetupForm.Slug)).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_FormRules_GiveTheAttributesMessages()
    {
        var form = new ProjectSetupForm { Name = "", Slug = "Bad Slug", Overlap = 0 };
        var validator = new ProjectSetupValidator();

        validator.Validate(form, nameof(ProjectSetupForm.Name)).ShouldBe(["Give the project a name."]);
        validator.Validate(form, nameof(ProjectSetupForm.Slug)).ShouldBe(["Use 1 to 64 characters of a-z, 0-9 and '-'."]);
        validator.Validate(form, nameof(ProjectSetupForm.Overlap)).ShouldBe(["Between 1 and 16 annotators label each task."]);
    }

    [Fact]
    public void ToProject_NoKindAndBadLines_SaysWhereEachProblemIs()
    {
        var none = new ProjectSetupForm { Name = "N", Slug = "n", Pairwise = false };
        var lines = new ProjectSetupForm { Name = "N", Slug = "n", Principle = true, Principles = "ok: fine\nno colon here" };

        none.ToProject().Errors.ShouldBe([new FieldError(nameof(ProjectSetupForm.Kinds), "Choose at least one kind of feedback.")]);
        lines.ToProject().Errors.ShouldBe([new FieldError(nameof(ProjectSetupForm.Principles), "Line 2: write \"key: the principle\".")]);
    }

    [Theory]
    [InlineData("ok \ud83d\ude00", null)]
    [InlineData("a\0b", "contains a NUL character")]
    public void Problem_Text_RefusesWhatPostgresCannotStore(string text, string? problem)
    {
        var found = StorableText.Problem(text);
        if (problem is null)
            found.ShouldBeNull();
        else
            found.ShouldNotBeNull().ShouldStartWith(problem);
    }

    [Fact]
    public void Problem_LoneSurrogate_IsRefusedWithItsPosition()
    {
        // Built at run time: an attribute's string cannot carry half a surrogate pair (the compiler replaces it).
        var text = "a" + (char)0xD800 + "b";

        StorableText.Problem(text).ShouldNotBeNull().ShouldStartWith("holds half of a UTF-16 surrogate pair");
    }

    [Fact]
    public void SearchPattern_Wildcards_AreTakenLiterally()
    {
        new PageRequest(0, 10, Search: " 100%_a\\b ").SearchPattern.ShouldBe(@"%100\%\_a\\b%");
        new PageRequest(0, 10, Search: "  ").SearchPattern.ShouldBeNull();
        var clamped = new PageRequest(-3, 100_000);
        (clamped.Skip, clamped.Take).ShouldBe((0, PageRequest.MaxPageSize));
    }

    [Fact]
    public void Split_ScheduleErrors_GoToTheFieldTheyName()
    {
        var (cron, model) = RetrainErrors.Split([$"{ProjectSchedules.CronField}: 'x' is not a cron expression", $"{ProjectSchedules.BaseModelField}: choose one"]);

        (cron, model).ShouldBe(("'x' is not a cron expression", "choose one"));
    }

    [Fact]
    public async Task ReadAsync_Upload_ReportsProgressUpToOneAndKeepsEveryByte()
    {
        var bytes = Enumerable.Range(0, UploadBuffer.ChunkBytes * 3 + 10).Select(i => (byte)i).ToArray();
        var reports = new List<double>();

        await using var copy = await UploadBuffer.ReadAsync(new MemoryStream(bytes), bytes.Length, new SyncProgress(reports.Add), CancellationToken.None);

        copy.ToArray().ShouldBe(bytes);
        reports.ShouldBe(reports.Order().ToList());
        reports.Count.ShouldBeGreaterThanOrEqualTo(4);
        reports[^1].ShouldBe(1);
    }

    /// <summary>Progress&lt;T&gt; posts to a synchronization context; this one reports at once, in order.</summary>
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
