using System.Diagnostics;
using Kilowallet.Server.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kilowallet.Server.Admin;

/// <summary>
/// Writes a consistent copy of the database while the server keeps running: SQLite's
/// <c>VACUUM INTO</c> (a transactionally consistent snapshot, compacted), or <c>pg_dump</c>
/// (a consistent snapshot in PostgreSQL's custom format) for PostgreSQL.
/// </summary>
public sealed class DatabaseBackup(StorageConnections connections)
{
    public async Task<string> WriteAsync(string destination, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var path = Path.GetFullPath(destination);
        if (File.Exists(path))
        {
            throw new IOException($"{path} already exists; choose a new file name (a backup never overwrites).");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (connections.Provider == StorageProvider.Sqlite)
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "VACUUM INTO $path";
            command.Parameters.Add(new SqliteParameter("$path", path));
            await command.ExecuteNonQueryAsync(cancellationToken);
            return path;
        }

        var builder = new NpgsqlConnectionStringBuilder(connections.ConnectionString);
        var start = new ProcessStartInfo("pg_dump")
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--format=custom", "--no-owner", $"--file={path}", $"--host={builder.Host}", $"--port={builder.Port}", $"--username={builder.Username}", builder.Database ?? "postgres" })
        {
            start.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(builder.Password))
        {
            start.Environment["PGPASSWORD"] = builder.Password;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("pg_dump did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("pg_dump was not found; install the PostgreSQL client tools (apt-get install postgresql-client).", ex);
        }

        using (process)
        {
            var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pg_dump failed ({process.ExitCode}): {errors.Trim()}");
            }
        }

        return path;
    }
}
