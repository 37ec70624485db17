using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Storage;

/// <summary>Creates the provider's <see cref="KilowalletDb"/> from the configured storage options.</summary>
public sealed class KilowalletDbFactory : IDbContextFactory<KilowalletDb>
{
    private readonly StorageProvider _provider;
    private readonly DbContextOptions<SqliteKilowalletDb>? _sqlite;
    private readonly DbContextOptions<PostgresKilowalletDb>? _postgres;

    public KilowalletDbFactory(StorageConnections connections, IOptions<StorageOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(options);
        _provider = connections.Provider;
        if (_provider == StorageProvider.Sqlite)
        {
            _sqlite = ConfigureSqlite(new DbContextOptionsBuilder<SqliteKilowalletDb>(), connections.ConnectionString, options.Value.CommandTimeoutSeconds)
                .UseLoggerFactory(loggerFactory)
                .Options;
        }
        else
        {
            _postgres = ConfigurePostgres(new DbContextOptionsBuilder<PostgresKilowalletDb>(), connections.PostgresDataSource!, options.Value.CommandTimeoutSeconds)
                .UseLoggerFactory(loggerFactory)
                .Options;
        }
    }

    public KilowalletDb CreateDbContext() => _provider == StorageProvider.Sqlite
        ? new SqliteKilowalletDb(_sqlite!)
        : new PostgresKilowalletDb(_postgres!);

    internal static DbContextOptionsBuilder<SqliteKilowalletDb> ConfigureSqlite(
        DbContextOptionsBuilder<SqliteKilowalletDb> builder, string connectionString, int commandTimeoutSeconds)
    {
        builder.UseSqlite(connectionString, sqlite => sqlite
                .CommandTimeout(commandTimeoutSeconds)
                .MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .ReplaceService<IRelationalAnnotationProvider, SqliteTypedIdAnnotationProvider>()
            .AddInterceptors(new SqlitePragmaInterceptor());
        return builder;
    }

    internal static DbContextOptionsBuilder<PostgresKilowalletDb> ConfigurePostgres(
        DbContextOptionsBuilder<PostgresKilowalletDb> builder, Npgsql.NpgsqlDataSource dataSource, int commandTimeoutSeconds)
    {
        builder.UseNpgsql(dataSource, npgsql => npgsql
                .CommandTimeout(commandTimeoutSeconds)
                .MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
        return builder;
    }
}
