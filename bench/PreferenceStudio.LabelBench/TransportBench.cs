using System.Globalization;
using PreferenceStudio.Testing;
using PreferenceStudio.Testing.Http;

namespace PreferenceStudio.LabelBench;

/// <summary>
/// The label bench through the real transport: for each number of annotators, the use-case layer (as the plain bench)
/// and then the same workload through the JSON API over HTTP against the web app in a process of its own, each on a
/// fresh database, with pgbench's one-row INSERT rate measured before and after in the same run, for the ratios.
/// Latency is what the client measured, request sent to body received.
/// Usage: dotnet run -c Release --project bench/PreferenceStudio.LabelBench -- http [tasks=500] [annotators=1,4,16,32,64]
/// </summary>
internal static class TransportBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tasks = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var levels = (args.Length > 1 ? args[1] : "1,4,16,32,64").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var configuration = WebProcess.ConfigurationOf(AppContext.BaseDirectory);
        Console.WriteLine($"PreferenceStudio label bench, use case and HTTP: {tasks} pairwise tasks, overlap 2, web app {configuration}, " +
                          $"server {TestDatabase.Server.Split(";Password")[0]}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var before = await Pgbench.InsertTpsAsync();
        Console.WriteLine($"pgbench one-row INSERT, 16 clients, 2 threads, 10 s: {before.Tps:0} TPS, {before.LatencyMs:0.00} ms average");
        Console.WriteLine();
        Console.WriteLine("| annotators | use case labels/s | HTTP labels/s | HTTP ÷ use case | HTTP ÷ pgbench | use case ÷ pgbench | " +
                          "HTTP next task p50 / p95 / p99 (ms) | HTTP submit p50 / p95 (ms) | use case next / submit p95 (ms) | integrity |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        var rows = new List<(int Annotators, UseCaseRow UseCase, double Http, double SubmitP95)>();
        var ok = true;
        foreach (var annotators in levels)
        {
            var useCase = await LabelBench.RunAsync(tasks, annotators, print: false);
            await using var database = await TestDatabase.CreateAsync();
            var run = await FireDrill.RunAsync(database, new FireDrillPlan(annotators, tasks, Kills: 0, configuration, TimeSpan.Zero));
            var audit = await FireDrillAudit.OfAsync(database, run);
            var http = audit.Stored / run.Labelling.TotalSeconds;
            var next = run.Annotators.SelectMany(a => a.NextMs).ToList();
            var submit = run.Annotators.SelectMany(a => a.SubmitMs).ToList();
            var problems = audit.Problems().Concat(useCase.Integrity is { } i ? [$"use case: {i}"] : []).ToList();
            ok &= problems.Count == 0;
            rows.Add((annotators, useCase, http, LabelBench.P(submit, 95)));
            Console.WriteLine($"| {annotators} | {useCase.LabelsPerSecond:0} | {http:0} | {http / useCase.LabelsPerSecond:0.00} | " +
                              $"{http / before.Tps:0.000} | {useCase.LabelsPerSecond / before.Tps:0.000} | " +
                              $"{LabelBench.P(next, 50):0.0} / {LabelBench.P(next, 95):0.0} / {LabelBench.P(next, 99):0.0} | {LabelBench.P(submit, 50):0.0} / {LabelBench.P(submit, 95):0.0} | " +
                              $"{useCase.NextP95:0.0} / {useCase.SubmitP95:0.0} | {(problems.Count == 0 ? "ok" : string.Join("; ", problems))} |");
        }
        var after = await Pgbench.InsertTpsAsync();
        Console.WriteLine();
        Console.WriteLine($"pgbench again after the rows: {after.Tps:0} TPS, {after.LatencyMs:0.00} ms average (ratios above use the first)");
        if (rows.LastOrDefault(r => r.Annotators == 64) is { Annotators: 64 } top)
            Console.WriteLine($"HTTP submit p95 at 64 annotators: {top.SubmitP95:0.0} ms (target < 50 ms: {(top.SubmitP95 < 50 ? "met" : "missed")})");
        return ok ? 0 : 1;
    }
}
