namespace Kilowallet.Server.Storage;

/// <summary>Configuration section "Storage".</summary>
public sealed record StorageOptions
{
    public const string Section = "Storage";

    /// <summary>"sqlite" (default: a file under <see cref="DataDirectory"/>) or "postgres".</summary>
    public string Provider { get; init; } = "sqlite";

    /// <summary>The parsed <see cref="Provider"/>; null when the setting names no known provider.</summary>
    public StorageProvider? ProviderKind => Provider.Trim().ToUpperInvariant() switch
    {
        "SQLITE" => StorageProvider.Sqlite,
        "POSTGRES" or "POSTGRESQL" => StorageProvider.Postgres,
        _ => null,
    };

    /// <summary>Folder of the SQLite database file (and backups by default).</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>SQLite file name inside <see cref="DataDirectory"/>.</summary>
    public string SqliteFileName { get; init; } = "kilowallet.db";

    /// <summary>PostgreSQL connection string (Host=…;Database=…;Username=…;Password=…). Required for postgres.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Seconds to wait for the database before a command fails.</summary>
    public int CommandTimeoutSeconds { get; init; } = 30;

    public string SqlitePath => Path.GetFullPath(Path.Combine(DataDirectory, SqliteFileName));
}
