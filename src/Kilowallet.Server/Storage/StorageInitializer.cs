using System.Net.Sockets;
using Kilowallet.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kilowallet.Server.Storage;

/// <summary>
/// Runs before anything else starts: makes sure the database is reachable and writable, creates
/// it if needed and applies pending migrations. Problems become one-sentence
/// <see cref="StartupException"/>s naming the setting to fix.
/// </summary>
public sealed class StorageInitializer(
    IOptions<StorageOptions> options,
    StorageConnections connections,
    IDbContextFactory<KilowalletDb> dbFactory,
    ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.ProviderKind == StorageProvider.Sqlite)
        {
            EnsureWritableDataDirectory(settings);
        }
        else
        {
            await EnsurePostgresReachableAsync(cancellationToken);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (settings.ProviderKind == StorageProvider.Sqlite)
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            await command.ExecuteScalarAsync(cancellationToken);
        }

        // MigrateAsync creates the database schema on first start and is a no-op when it is up to date.
        await db.Database.MigrateAsync(cancellationToken);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        logger.LogInformation("Database schema at {Migration} ({Count} migrations)", applied.LastOrDefault(), applied.Count);

        logger.LogInformation("Storage ready: {Provider} {Location}", settings.Provider, Describe(settings));
    }

    private static string Describe(StorageOptions settings)
    {
        if (settings.ProviderKind == StorageProvider.Sqlite)
        {
            return settings.SqlitePath;
        }

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static void EnsureWritableDataDirectory(StorageOptions settings)
    {
        var directory = Path.GetFullPath(settings.DataDirectory);
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Storage:DataDirectory '{directory}' is not writable ({ex.Message}); choose a folder this user can write to.", ex);
        }
    }

    private async Task EnsurePostgresReachableAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connections.ConnectionString);
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or SqliteException)
        {
            throw new StartupException(
                $"Storage:ConnectionString: cannot connect to PostgreSQL database '{builder.Database}' at {builder.Host}:{builder.Port} ({ex.Message.TrimEnd('.')}).", ex);
        }
    }
}
