using System.CommandLine;
using System.Globalization;

namespace Kilowallet.Server.Admin;

/// <summary>
/// The administration command line of the server executable:
/// <c>import FILE</c>, <c>export KIND|all</c>, <c>backup</c>, and the commands of later features.
/// </summary>
public static class AdminCommandLine
{
    private static readonly string[] CommandNames = ["import", "export", "backup", "verify-ledger", "read", "rate", "help", "--help", "-h", "-?"];

    public static bool IsCommand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Length > 0 && CommandNames.Contains(args[0], StringComparer.Ordinal);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Kilowallet server. Without a command it serves the web application; with one it administers the database it is configured for.");
        root.Subcommands.Add(ImportCommand());
        root.Subcommands.Add(ExportCommand());
        root.Subcommands.Add(BackupCommand());
        root.Subcommands.Add(VerifyLedgerCommand());
        root.Subcommands.Add(ReadMeterCommand.Create());
        root.Subcommands.Add(RateCommand.Create());
        var arguments = args.Length > 0 && args[0] == "help" ? ["--help"] : args;
        return await root.Parse(arguments).InvokeAsync();
    }

    private static Command ImportCommand()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV file with a header row (see README: CSV formats)." };
        var kind = new Option<CsvKind?>("--kind") { Description = "sites, areas, shops, tenants, accounts, gateways or meters; defaults to the file name (meters.csv → meters)." };
        var command = new Command("import", "Import sites, areas, shops, tenants, accounts, gateways or meters from CSV. Nothing is imported unless every row is valid.")
        {
            file,
            kind,
        };
        command.SetAction((parse, cancellationToken) => AdminHost.RunAsync(
            async (services, ct) =>
            {
                var path = parse.GetValue(file)!;
                var csvKind = parse.GetValue(kind) ?? DirectoryCsv.KindFromFileName(path.Name);
                if (csvKind is null)
                {
                    await Console.Error.WriteLineAsync($"Cannot tell what {path.Name} holds; name it sites.csv, shops.csv, … or pass --kind.");
                    return 1;
                }

                if (!path.Exists)
                {
                    await Console.Error.WriteLineAsync($"{path.FullName} does not exist.");
                    return 1;
                }

                var text = await File.ReadAllTextAsync(path.FullName, ct);
                var result = await services.GetRequiredService<DirectoryCsv>().ImportAsync(csvKind.Value, text, path.Name, ct);
                if (result.Errors.Count > 0)
                {
                    foreach (var error in result.Errors)
                    {
                        await Console.Error.WriteLineAsync(error);
                    }

                    await Console.Error.WriteLineAsync($"Nothing imported: {result.Errors.Count} error(s).");
                    return 1;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Imported {path.Name}: {result.Created} created, {result.Updated} updated."));
                return 0;
            },
            cancellationToken));
        return command;
    }

    private static Command ExportCommand()
    {
        var kind = new Argument<string>("kind") { Description = "sites, areas, shops, tenants, accounts, gateways, meters, or all." };
        var output = new Option<string?>("--out") { Description = "File to write (default: standard output); a folder for 'all' (default: ./export)." };
        var command = new Command("export", "Export the directory as CSV files that import reads back.") { kind, output };
        command.SetAction((parse, cancellationToken) => AdminHost.RunAsync(
            async (services, ct) =>
            {
                var csv = services.GetRequiredService<DirectoryCsv>();
                var what = parse.GetValue(kind)!;
                var destination = parse.GetValue(output);
                if (string.Equals(what, "all", StringComparison.OrdinalIgnoreCase))
                {
                    var folder = Path.GetFullPath(destination ?? "export");
                    Directory.CreateDirectory(folder);
                    foreach (var each in Enum.GetValues<CsvKind>())
                    {
                        var file = Path.Combine(folder, each.ToString().ToLowerInvariant() + ".csv");
                        await File.WriteAllTextAsync(file, await csv.ExportAsync(each, ct), ct);
                        Console.WriteLine(file);
                    }

                    return 0;
                }

                if (!Enum.TryParse<CsvKind>(what, ignoreCase: true, out var csvKind))
                {
                    await Console.Error.WriteLineAsync($"'{what}' is not one of sites, areas, shops, tenants, accounts, gateways, meters, all.");
                    return 1;
                }

                var text = await csv.ExportAsync(csvKind, ct);
                if (destination is null)
                {
                    Console.Write(text);
                }
                else
                {
                    await File.WriteAllTextAsync(destination, text, ct);
                }

                return 0;
            },
            cancellationToken));
        return command;
    }

    private static Command VerifyLedgerCommand()
    {
        var command = new Command("verify-ledger", "Check that every cached balance equals the sum of its entries and every entry balances; exit code 1 on any mismatch.");
        command.SetAction((parse, cancellationToken) => AdminHost.RunAsync(
            async (services, ct) =>
            {
                var problems = await services.GetRequiredService<Ledger.LedgerVerifier>().VerifyAsync(ct);
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync(problem);
                }

                Console.WriteLine(problems.Count == 0 ? "Ledger verified: no mismatch." : $"Ledger verification found {problems.Count} mismatch(es).");
                return problems.Count == 0 ? 0 : 1;
            },
            cancellationToken));
        return command;
    }

    private static Command BackupCommand()
    {
        var output = new Option<string?>("--out") { Description = "Backup file to write (default: data/backups/kilowallet-<time>.db, or .dump for PostgreSQL)." };
        var command = new Command("backup", "Write a consistent copy of the database; safe while the server runs.") { output };
        command.SetAction((parse, cancellationToken) => AdminHost.RunAsync(
            async (services, ct) =>
            {
                var backup = services.GetRequiredService<DatabaseBackup>();
                var clock = services.GetRequiredService<TimeProvider>();
                var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
                var connections = services.GetRequiredService<Storage.StorageConnections>();
                var extension = connections.Provider == Storage.StorageProvider.Sqlite ? "db" : "dump";
                var destination = parse.GetValue(output) ?? Path.Combine("data", "backups", $"kilowallet-{stamp}.{extension}");
                try
                {
                    var path = await backup.WriteAsync(destination, ct);
                    Console.WriteLine($"Backup written to {path}");
                    return 0;
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"Backup failed: {ex.Message}");
                    return 1;
                }
            },
            cancellationToken));
        return command;
    }
}
