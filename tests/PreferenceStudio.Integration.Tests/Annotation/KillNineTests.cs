using PreferenceStudio.Testing;
using PreferenceStudio.Testing.Http;
using Xunit.Abstractions;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>
/// Nothing lost under fire, at the size `./test` affords: the real web process killed with SIGKILL twice while eight
/// annotators label through the JSON API. The full size (64 annotators, more kills) is the label bench's `fire` mode.
/// </summary>
public sealed class KillNineTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestDatabase _database = default!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task LabelAll_WebProcessKilledTwiceMidLabelling_EveryAcknowledgedLabelStoredOnceAndNoneTwice()
    {
        var plan = new FireDrillPlan(Annotators: 8, Tasks: 60, Kills: 2, WebProcess.ConfigurationOf(AppContext.BaseDirectory), TimeSpan.FromMilliseconds(200));

        var run = await FireDrill.RunAsync(_database, plan, new OutputWriter(output));
        var audit = await FireDrillAudit.OfAsync(_database, run);

        output.WriteLine(audit.ToString());
        run.Kills.ShouldBe(2, "both kills must land before the labelling ends");
        audit.Problems().ShouldBeEmpty(audit.ToString());
        // The kills cut requests in flight: at least one label was sent again after a kill, and stored once.
        (audit.InDoubt + audit.UnansweredNext).ShouldBeGreaterThan(0, "no request was cut by the kills: " + audit);
    }

    private sealed class OutputWriter(ITestOutputHelper output) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void WriteLine(string? value) => output.WriteLine(value ?? "");
    }
}
