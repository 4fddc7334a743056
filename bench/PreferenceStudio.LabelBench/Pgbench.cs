using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using PreferenceStudio.Testing;

namespace PreferenceStudio.LabelBench;

/// <summary>
/// PostgreSQL's own rate for the smallest write a label could be: pgbench running a one-row INSERT script (each a
/// transaction) with 16 clients on 2 threads, in a throw-away database on the same server, for the ratios.
/// </summary>
internal static partial class Pgbench
{
    private const string Binary = "/usr/lib/postgresql/15/bin/pgbench";
    private const string Script = """
        \set v random(1, 1000000)
        INSERT INTO one_row (v) VALUES (:v);
        """;

    public sealed record Result(double Tps, double LatencyMs);

    public static async Task<Result> InsertTpsAsync(int seconds = 10, int clients = 16, int threads = 2)
    {
        if (!File.Exists(Binary))
            throw new FileNotFoundException($"pgbench is not at {Binary}; install postgresql-15's client tools.");
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE one_row (id bigserial PRIMARY KEY, v int NOT NULL, at timestamptz NOT NULL DEFAULT now())", connection);
            await create.ExecuteNonQueryAsync();
        }
        var script = Path.Combine(Path.GetTempPath(), $"ps-pgbench-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            var start = new ProcessStartInfo(Binary, ["-n", "-c", $"{clients}", "-j", $"{threads}", "-T", $"{seconds}", "-f", script])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["PGHOST"] = server.Host, ["PGPORT"] = server.Port.ToString(CultureInfo.InvariantCulture),
                    ["PGUSER"] = server.Username, ["PGPASSWORD"] = server.Password, ["PGDATABASE"] = server.Database,
                },
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var text = await stdout;
            if (process.ExitCode != 0 || Tps().Match(text) is not { Success: true } tps || Latency().Match(text) is not { Success: true } latency)
                throw new InvalidOperationException($"pgbench exited with {process.ExitCode}:\n{text}\n{await stderr}");
            return new Result(double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(script);
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex Latency();
}
