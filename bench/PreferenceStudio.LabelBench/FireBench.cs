using System.Globalization;
using PreferenceStudio.Testing;
using PreferenceStudio.Testing.Http;

namespace PreferenceStudio.LabelBench;

/// <summary>
/// The kill -9 drill at full size: N annotators label through the JSON API while the web process is killed and
/// restarted K times; prints what the clients were told and what the database holds. Exit code 1 if anything was lost
/// or doubled.
/// Usage: dotnet run -c Release --project bench/PreferenceStudio.LabelBench -- fire [annotators=64] [tasks=2000] [kills=6]
/// </summary>
internal static class FireBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var annotators = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64;
        var tasks = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var kills = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 6;
        var plan = new FireDrillPlan(annotators, tasks, kills, WebProcess.ConfigurationOf(AppContext.BaseDirectory), TimeSpan.FromMilliseconds(500));
        Console.WriteLine($"PreferenceStudio kill -9 drill: {annotators} annotators, {tasks} pairwise tasks (overlap 2), {kills} kills, " +
                          $"web app {plan.Configuration}, server {TestDatabase.Server.Split(";Password")[0]}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        await using var database = await TestDatabase.CreateAsync();
        var run = await FireDrill.RunAsync(database, plan, Console.Out);
        var audit = await FireDrillAudit.OfAsync(database, run);
        Console.WriteLine();
        Console.WriteLine("| annotators | kills | acknowledged | stored | duplicates | lost | in doubt: found stored / stored by retry | labels/s (kills included) | restart (s) | integrity |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        var restarts = run.Restarts.Count == 0 ? "-" : $"{run.Restarts.Average(r => r.TotalSeconds):0.0}";
        var problems = audit.Problems();
        Console.WriteLine($"| {annotators} | {run.Kills} | {audit.Acknowledged} | {audit.Stored} | {audit.Duplicates} | {audit.Lost} | " +
                          $"{audit.InDoubtFoundStored} / {audit.InDoubt - audit.InDoubtFoundStored} | {audit.Stored / run.Labelling.TotalSeconds:0} | " +
                          $"{restarts} | {(problems.Count == 0 ? "ok" : string.Join("; ", problems))} |");
        Console.WriteLine();
        Console.WriteLine(audit);
        return problems.Count == 0 && run.Kills == kills ? 0 : 1;
    }
}
