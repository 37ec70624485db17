using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kilowallet.Server.Storage;

/// <summary>
/// Opens raw ADO.NET connections to the configured database, for the hot paths (reading ingestion,
/// ledger postings) that bypass EF Core, and builds the connection strings EF Core uses.
/// </summary>
public sealed class StorageConnections : IDisposable
{
    private readonly StorageOptions _options;
    private readonly NpgsqlDataSource? _postgres;

    // SQLite has one writer at a time. Writers of this process queue here, first come first served, instead
    // of at the file lock, where the driver retries a busy database by sleeping (a tail of hundreds of ms).
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    public StorageConnections(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        ConnectionString = BuildConnectionString(_options);
        if (_options.ProviderKind == StorageProvider.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(ConnectionString);
        }
    }

    public StorageProvider Provider => _options.ProviderKind ?? StorageProvider.Sqlite;

    public string ConnectionString { get; }

    public NpgsqlDataSource? PostgresDataSource => _postgres;

    public static string BuildConnectionString(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ProviderKind switch
        {
            StorageProvider.Sqlite => new SqliteConnectionStringBuilder
            {
                DataSource = options.SqlitePath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Cache = SqliteCacheMode.Default,
                Pooling = true,
                ForeignKeys = true,
                DefaultTimeout = options.CommandTimeoutSeconds,
            }.ToString(),
            StorageProvider.Postgres => new NpgsqlConnectionStringBuilder(options.ConnectionString)
            {
                CommandTimeout = options.CommandTimeoutSeconds,
            }.ToString(),
            _ => throw new InvalidOperationException($"Unknown storage provider {options.Provider}."),
        };
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _postgres is not null
            ? _postgres.CreateConnection()
            : new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            ApplySqlitePragmas(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> on an open connection, without a transaction (reads).</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction (IMMEDIATE on SQLite, behind this process's
    /// writer queue; READ COMMITTED with row locks on PostgreSQL) and commits it. A
    /// PostgreSQL deadlock or serialization failure rolls back and retries the whole unit of work.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_postgres is null)
        {
            await _sqliteWriter.WaitAsync(cancellationToken);
            try
            {
                await using var connection = await OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            finally
            {
                _sqliteWriter.Release();
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException ex) when (attempt < 5 && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
        }
    }

    public void Dispose()
    {
        _sqliteWriter.Dispose();
        _postgres?.Dispose();
    }

    /// <summary>
    /// WAL journal (set once per file, persistent) lets readers run beside the writer;
    /// synchronous=FULL makes every commit durable across a power loss, not only a crash: a
    /// top-up that was acknowledged must survive.
    /// </summary>
    internal static void ApplySqlitePragmas(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite)
        {
            return;
        }

        using var command = sqlite.CreateCommand();
        command.CommandText = "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;";
        command.ExecuteNonQuery();
    }
}
