using Kilowallet.Server.Admin;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Kilowallet.Server.Tests.Admin;

/// <summary>The administration commands, run as the operator runs them: the server executable with a command.</summary>
public sealed class AdminCommandLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_export_and_backup_work_from_the_command_line_while_the_server_runs()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var folder = Path.Combine(database.DataDirectory, "in");
        Directory.CreateDirectory(folder);
        foreach (var (kind, text) in DirectoryCsvTests.ValidDirectory)
        {
            var file = Path.Combine(folder, kind.ToString().ToLowerInvariant() + ".csv");
            await File.WriteAllTextAsync(file, text, Ct);
            var import = await ServerProcess.RunAsync(["import", file], database.Settings, Timeout);
            Assert.True(import.ExitCode == 0, import.Error);
            Assert.Contains($"Imported {Path.GetFileName(file)}:", import.Output, StringComparison.Ordinal);
        }

        var badFile = Path.Combine(folder, "meters.csv");
        await File.WriteAllTextAsync(badFile, "site_code,serial,profile\nNOPE,M9,kpm31\n", Ct);
        var bad = await ServerProcess.RunAsync(["import", badFile], database.Settings, Timeout);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("meters.csv line 2, field site_code: no site 'NOPE' (import sites first)", bad.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing imported", bad.Error, StringComparison.Ordinal);

        var export = await ServerProcess.RunAsync(["export", "meters"], database.Settings, Timeout);
        Assert.Equal(0, export.ExitCode);
        Assert.StartsWith("site_code,serial,profile", export.Output, StringComparison.Ordinal);
        Assert.Equal(4, export.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // Backup while the server holds the database open and serves requests.
        await using var app = new KilowalletApp(database);
        using var client = app.CreateClient();
        Assert.Equal("alive", await client.GetStringAsync("/alive", Ct));
        var backupFile = Path.Combine(database.DataDirectory, "backups", "copy.db");
        var backup = await ServerProcess.RunAsync(["backup", "--out", backupFile], database.Settings, Timeout);
        Assert.True(backup.ExitCode == 0, backup.Error);
        await using var copy = new SqliteConnection($"Data Source={backupFile};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync(Ct);
        await using var command = copy.CreateCommand();
        command.CommandText = "SELECT count(*) FROM meters";
        Assert.Equal(3L, await command.ExecuteScalarAsync(Ct));

        var again = await ServerProcess.RunAsync(["backup", "--out", backupFile], database.Settings, Timeout);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_backup_writes_a_dump_while_the_server_runs()
    {
        TestEnvironment.Require(TestEnvironment.HasTool("pg_dump"), "pg_dump");
        await using var database = await TestDatabase.CreateAsync("postgres");
        await using var app = new KilowalletApp(database, new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });
        using var client = app.CreateClient();
        Assert.Equal("alive", await client.GetStringAsync("/alive", Ct));

        var file = Path.Combine(database.DataDirectory, "pg.dump");
        var backup = await ServerProcess.RunAsync(["backup", "--out", file], database.Settings, Timeout);
        Assert.True(backup.ExitCode == 0, backup.Error);
        Assert.True(new FileInfo(file).Length > 1000);
    }

    [Fact]
    public void Only_known_commands_are_treated_as_administration()
    {
        Assert.True(AdminCommandLine.IsCommand(["import", "x.csv"]));
        Assert.True(AdminCommandLine.IsCommand(["backup"]));
        Assert.False(AdminCommandLine.IsCommand([]));
        Assert.False(AdminCommandLine.IsCommand(["--urls", "http://127.0.0.1:5000"]));
    }
}
