using System.Data.Common;
using System.Security.Claims;
using System.Text.Json;
using Kilowallet.Server.Storage;

namespace Kilowallet.Server.Audit;

/// <summary>
/// Writes audit entries inside the caller's unit of work, so an action and its audit record commit
/// (or roll back) together.
/// </summary>
public sealed class AuditLog(TimeProvider clock)
{
    public const string System = "system";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Adds an entry to <paramref name="db"/>; it is saved with the caller's SaveChanges.</summary>
    public AuditEntry Record(KilowalletDb db, string actor, string action, string target, object? details = null, string? remoteAddress = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entry = new AuditEntry
        {
            At = clock.GetUtcNow(),
            Actor = actor,
            Action = action,
            Target = target,
            Details = details is null ? null : JsonSerializer.Serialize(details, Json),
            RemoteAddress = remoteAddress,
        };
        db.AuditLog.Add(entry);
        return entry;
    }

    /// <summary>Writes an entry on a raw connection inside <paramref name="transaction"/> (for the ADO.NET hot paths).</summary>
    public async Task RecordAsync(DbConnection connection, DbTransaction transaction, string actor, string action, string target, object? details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO audit_log (at, actor, action, target, details) VALUES (@at, @actor, @action, @target, @details)";
        command.AddParameter("@at", clock.GetUtcNow().ToUnixTimeMilliseconds());
        command.AddParameter("@actor", actor);
        command.AddParameter("@action", action);
        command.AddParameter("@target", target);
        command.AddParameter("@details", details is null ? null : JsonSerializer.Serialize(details, Json));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The actor name of a principal: the user name, "apikey:{name}", or "system" when nobody is signed in.</summary>
    public static string ActorOf(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true } identity)
        {
            return System;
        }

        return identity.AuthenticationType == Auth.ApiKeyAuthenticationHandler.SchemeName
            ? "apikey:" + identity.Name
            : identity.Name ?? System;
    }
}
