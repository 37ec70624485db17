using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kilowallet.Server.Storage;

/// <summary>Applies the per-connection SQLite settings to connections EF Core opens.</summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        StorageConnections.ApplySqlitePragmas(connection);
    }

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        StorageConnections.ApplySqlitePragmas(connection);
        return Task.CompletedTask;
    }
}
