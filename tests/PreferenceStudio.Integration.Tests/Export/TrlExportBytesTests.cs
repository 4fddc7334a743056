using System.Runtime.CompilerServices;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Export;

/// <summary>
/// The TRL preference export's bytes, pinned: a project with every case that shapes the file (ties, both-bad, a
/// much-better, rankings with and without tied ranks, principle verdicts with a split and a not-applicable, revised
/// labels whose first versions must not appear, text that needs JSON escaping) is exported and compared byte for byte
/// with Expected/trl-preference-varied.jsonl, which the batched export wrote before the export was streamed.
/// </summary>
public sealed class TrlExportBytesTests : IAsyncLifetime
{
    private const string ExpectedFile = "trl-preference-varied.jsonl";
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 11, 20, 8, 30, 15, TimeSpan.Zero).AddTicks(1_234_560);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ps-trl-bytes-" + Guid.NewGuid().ToString("N"));
    private TestDatabase _database = default!;
    private int _projectId;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using var db = _database.CreateContext();
        _projectId = await VariedProjectAsync(db);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task WriteFileAsync_VariedProject_BytesEqualTheRecordedExport()
    {
        var file = Path.Combine(_folder, "export.jsonl");
        await using var db = _database.CreateContext();
        var rows = await DatasetWriter.WriteFileAsync(new TrlPreferenceFormat(), db, _projectId, file, CancellationToken.None);

        var expected = Path.Combine(ExpectedFolder(), ExpectedFile);
        if (Environment.GetEnvironmentVariable("PS_RECORD_EXPECTED") == "1")
            File.Copy(file, expected, overwrite: true);
        rows.ShouldBe(12);
        (await File.ReadAllBytesAsync(file)).ShouldBe(await File.ReadAllBytesAsync(expected));
    }

    [Fact]
    public async Task WriteFileAsync_StoppedMidExport_LeavesNoFileAndTheRerunWritesItWhole()
    {
        var file = Path.Combine(_folder, "export.jsonl");
        // A worker that dies after writing every row but before the rename: the rows went to the side file only.
        await using (var db = _database.CreateContext())
            await Should.ThrowAsync<IOException>(() => DatasetWriter.WriteFileAsync(file, async writer =>
            {
                await TrlPreferenceFormat.WritePairsAsync(db, _projectId, writer, CancellationToken.None);
                throw new IOException("the worker died here");
            }, CancellationToken.None));
        File.Exists(file).ShouldBeFalse();
        File.Exists(file + ".part").ShouldBeTrue();

        // The job runs again (Hangfire hands it to another worker) and the file appears whole.
        await using (var db = _database.CreateContext())
            (await DatasetWriter.WriteFileAsync(new TrlPreferenceFormat(), db, _projectId, file, CancellationToken.None)).ShouldBe(12);
        File.Exists(file + ".part").ShouldBeFalse();
        (await File.ReadAllBytesAsync(file)).ShouldBe(await File.ReadAllBytesAsync(Path.Combine(ExpectedFolder(), ExpectedFile)));
    }

    private static string ExpectedFolder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Expected");

    /// <summary>Three prompts and their tasks, labelled by three annotators with fixed ids and times.</summary>
    private static async Task<int> VariedProjectAsync(PreferenceStudioDbContext db)
    {
        var users = new[] { "annotator-one", "annotator-two", "annotator-three" }.Select(id =>
            new ApplicationUser { Id = id, UserName = id, NormalizedUserName = id.ToUpperInvariant(), Email = $"{id}@example.org", DisplayName = id }).ToArray();
        db.Users.AddRange(users);
        var project = new Project("Varied export", "varied", FeedbackKinds.Pairwise | FeedbackKinds.Ranking | FeedbackKinds.Principle);
        project.ConfigureAssignment(3, TimeSpan.FromMinutes(30), 0, allowRankingTies: true);
        project.AddPrinciple("factual", "No factual errors.");
        project.AddPrinciple("concise", "No padding.");
        db.Projects.Add(project);
        await db.SaveChangesAsync();

        var sky = new Prompt(project.Id, [new ChatTurn("system", "Answer briefly; quote \"sources\"."), new ChatTurn("user", "Why is the sky blue?"),
            new ChatTurn("assistant", "Which part?"), new ChatTurn("user", "The colour, café-level detail 🌍, please.\nTwo lines\tand a tab.")], "sky");
        var sea = new Prompt(project.Id, [new ChatTurn("user", "Is the sea <b>salty</b> & why? Path: C:\\sea\\salt")], "sea");
        var tea = new Prompt(project.Id, [new ChatTurn("user", "Best tea? 日本茶 or \u2028chai")], "tea");
        foreach (var (prompt, texts) in new[] { (sky, new[] { "Rayleigh scattering.", "Ocean reflection.", "Because \"blue\" \\ light.", "Dust." }),
                     (sea, new[] { "Dissolved minerals.", "Fish tears 🐟.", "Rivers carry salt <i>in</i>." }),
                     (tea, new[] { "Sencha.", "Chai.", "Neither." }) })
            foreach (var (text, i) in texts.Select((t, i) => (t, i)))
                prompt.AddResponse(text, $"model-{(char)('a' + i)}");
        db.Prompts.AddRange(sky, sea, tea);
        await db.SaveChangesAsync();

        int[] R(Prompt p) => p.Responses.Select(r => r.Id).ToArray();
        var (s, e, t) = (R(sky), R(sea), R(tea));
        var skyPair = new AnnotationTask(project, sky.Id, TaskKind.Pairwise, [s[0], s[1]]);
        var seaPair = new AnnotationTask(project, sea.Id, TaskKind.Pairwise, [e[0], e[1]]);
        var teaPair = new AnnotationTask(project, tea.Id, TaskKind.Pairwise, [t[0], t[1]]);
        var skyRank = new AnnotationTask(project, sky.Id, TaskKind.Ranking, [s[0], s[1], s[2], s[3]]);
        var seaRank = new AnnotationTask(project, sea.Id, TaskKind.Ranking, [e[0], e[1], e[2]]);
        var skyPrinciple = new AnnotationTask(project, sky.Id, TaskKind.Principle, [s[0], s[1], s[2]]);
        db.Tasks.AddRange(skyPair, seaPair, teaPair, skyRank, seaRank, skyPrinciple);
        await db.SaveChangesAsync();

        var minute = 0;
        AnnotationContext Context(AnnotationTask task, ApplicationUser who, params int[] shown) =>
            new(task.Id, who.Id, null, Guid.NewGuid(), TimeSpan.FromSeconds(12), shown, null, At.AddMinutes(minute++));
        var (one, two, three) = (users[0], users[1], users[2]);
        var factual = project.Principles.Single(p => p.Key == "factual").Id;
        var concise = project.Principles.Single(p => p.Key == "concise").Id;

        var revisedPair = new PairwiseAnnotation(Context(skyPair, one, s[0], s[1]), s[0], s[1], PairwisePreference.ABetter, bothBad: false);
        var revisedRank = new RankingAnnotation(Context(seaRank, two, e[0], e[1], e[2]), [new(e[0], 1), new(e[1], 2), new(e[2], 3)], tiesAllowed: true);
        db.Annotations.AddRange(
            revisedPair,
            new PairwiseAnnotation(Context(skyPair, two, s[1], s[0]), s[1], s[0], PairwisePreference.AMuchBetter, bothBad: false),
            new PairwiseAnnotation(Context(skyPair, three, s[0], s[1]), s[0], s[1], PairwisePreference.Tie, bothBad: false),
            new PairwiseAnnotation(Context(seaPair, one, e[0], e[1]), e[0], e[1], PairwisePreference.BMuchBetter, bothBad: true),
            new PairwiseAnnotation(Context(seaPair, two, e[1], e[0]), e[1], e[0], PairwisePreference.BBetter, bothBad: false),
            new PairwiseAnnotation(Context(teaPair, three, t[0], t[1]), t[0], t[1], PairwisePreference.BMuchBetter, bothBad: false),
            new RankingAnnotation(Context(skyRank, one, s[3], s[2], s[1], s[0]), [new(s[2], 1), new(s[0], 1), new(s[3], 3), new(s[1], 4)], tiesAllowed: true),
            revisedRank,
            new PrincipleAnnotation(Context(skyPrinciple, one, s[0], s[1], s[2]), [new(s[0], factual, Verdict.Yes, null), new(s[1], factual, Verdict.No, "ocean myth"),
                new(s[2], factual, Verdict.NotApplicable, null), new(s[0], concise, Verdict.Yes, null), new(s[2], concise, Verdict.No, null)]),
            new PrincipleAnnotation(Context(skyPrinciple, two, s[0], s[1], s[2]), [new(s[0], factual, Verdict.Yes, null), new(s[1], factual, Verdict.Yes, null),
                new(s[2], factual, Verdict.No, null), new(s[2], concise, Verdict.Yes, null)]));
        await db.SaveChangesAsync();

        // Revised: the first versions are superseded and must not be exported.
        var pairV2 = new PairwiseAnnotation(Context(skyPair, one, s[1], s[0]), s[0], s[1], PairwisePreference.BBetter, bothBad: false);
        var rankV2 = new RankingAnnotation(Context(seaRank, two, e[2], e[1], e[0]), [new(e[2], 1), new(e[1], 2), new(e[0], 2)], tiesAllowed: true);
        revisedPair.SupersedeWith(pairV2);
        revisedRank.SupersedeWith(rankV2);
        await db.SaveChangesAsync();
        db.Annotations.AddRange(pairV2, rankV2);
        await db.SaveChangesAsync();
        return project.Id;
    }
}
