using Kilowallet.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kilowallet.Server.Hosting;

/// <summary>Healthy when the database answers a trivial query.</summary>
public sealed class StorageHealthCheck(StorageConnections connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{connections.Provider} answers");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{connections.Provider} does not answer: {ex.Message}");
        }
    }
}
