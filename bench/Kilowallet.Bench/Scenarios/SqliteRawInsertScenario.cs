using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// The physical reference for reading ingestion on SQLite: one prepared single-row INSERT of a
/// 12-column reading row, 2,000 rows per transaction, WAL mode, synchronous=FULL (our setting),
/// into a table with the reading table's primary key. Ingestion benchmarks divide by this figure.
/// </summary>
internal sealed class SqliteRawInsertScenario : IScenario
{
    public string Name => "sqlite-raw";

    public string Description => "raw SQLite insert rate of a 12-column reading row (prepared, 2,000 rows/transaction, WAL)";

    public Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        var rows = quick ? 200_000 : 1_000_000;
        var rate = Measure(rows, meters: 2_000);
        report.Result("rows_per_second", rate, "rows/s");
        return Task.CompletedTask;
    }

    /// <summary>Inserts <paramref name="rows"/> rows into a fresh file and returns rows per second.</summary>
    public static double Measure(int rows, int meters)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kw-bench-raw-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using (var setup = connection.CreateCommand())
            {
                setup.CommandText = """
                    PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
                    CREATE TABLE raw_readings (
                        meter_id INTEGER NOT NULL, at INTEGER NOT NULL, energy_wh INTEGER NOT NULL,
                        sharp_wh INTEGER, peak_wh INTEGER, flat_wh INTEGER, valley_wh INTEGER,
                        voltage REAL, current REAL, power_kw REAL, power_factor REAL, flags INTEGER NOT NULL,
                        PRIMARY KEY (meter_id, at));
                    """;
                setup.ExecuteNonQuery();
            }

            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO raw_readings VALUES ($m,$t,$e,$s,$p,$f,$v,$u,$i,$w,$pf,$fl)";
            var parameters = new[] { "$m", "$t", "$e", "$s", "$p", "$f", "$v", "$u", "$i", "$w", "$pf", "$fl" }
                .Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n }))
                .ToArray();
            insert.Prepare();
            var watch = Stopwatch.StartNew();
            var written = 0;
            while (written < rows)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                for (var i = 0; i < 2_000 && written < rows; i++, written++)
                {
                    var meter = written % meters;
                    var step = written / meters;
                    parameters[0].Value = meter;
                    parameters[1].Value = 1_700_000_000_000L + (step * 60_000L);
                    parameters[2].Value = 1_000_000L + (step * 17L);
                    parameters[3].Value = step;
                    parameters[4].Value = step * 2L;
                    parameters[5].Value = step * 3L;
                    parameters[6].Value = step * 4L;
                    parameters[7].Value = 230.1;
                    parameters[8].Value = 4.2;
                    parameters[9].Value = 0.95;
                    parameters[10].Value = 0.98;
                    parameters[11].Value = 0;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            return rows / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(path + suffix);
            }
        }
    }
}
