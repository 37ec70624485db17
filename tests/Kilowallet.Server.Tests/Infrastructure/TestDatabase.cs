using Kilowallet.Server.Storage;
using Npgsql;

namespace Kilowallet.Server.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for one test or fixture: a SQLite file in a temporary folder, or a new
/// PostgreSQL database (dropped afterwards) on the server named by KILOWALLET_TEST_POSTGRES.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    private TestDatabase(string provider, string dataDirectory, string? connectionString, string? adminConnectionString, string? databaseName)
    {
        Provider = provider;
        DataDirectory = dataDirectory;
        ConnectionString = connectionString;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
    }

    public static TheoryData<string> Providers => new() { "sqlite", "postgres" };

    public string Provider { get; }

    /// <summary>Temporary folder of this database (the SQLite file lives here; backups can go here).</summary>
    public string DataDirectory { get; }

    public string? ConnectionString { get; }

    /// <summary>The configuration keys the server and admin commands read.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = Provider,
        ["Storage:DataDirectory"] = DataDirectory,
        ["Storage:ConnectionString"] = ConnectionString,
    };

    public StorageOptions Options => new()
    {
        Provider = Provider,
        DataDirectory = DataDirectory,
        ConnectionString = ConnectionString,
    };

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kilowallet-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        if (provider == "sqlite")
        {
            return new TestDatabase(provider, directory, null, null, null);
        }

        var admin = TestEnvironment.RequirePostgres();
        var name = "kw_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, directory, builder.ToString(), admin, name);
    }

    /// <summary>Storage services (connections, EF Core model) for this database, initialized (migrated).</summary>
    public async Task<(StorageConnections Connections, KilowalletDbFactory DbFactory)> OpenStorageAsync()
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var connections = new StorageConnections(options);
        var factory = new KilowalletDbFactory(connections, options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var initializer = new StorageInitializer(options, connections, factory, Microsoft.Extensions.Logging.Abstractions.NullLogger<StorageInitializer>.Instance);
        await initializer.InitializeAsync(TestContext.Current.CancellationToken);
        return (connections, factory);
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_adminConnectionString is not null)
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)";
            await command.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection: the temp folder is cleaned by the OS.
        }
    }
}
