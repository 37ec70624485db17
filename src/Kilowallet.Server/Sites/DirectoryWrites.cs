using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Sites;

/// <summary>Saving and auditing directory changes made through the API, the same way for every kind of record.</summary>
public static class DirectoryWrites
{
    /// <summary>
    /// Saves the pending changes; null when saved, a 409 when the database refused them (a duplicate
    /// key written concurrently between the check and the save, or a record still referenced).
    /// </summary>
    public static async Task<ProblemHttpResult?> SaveAsync(KilowalletDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return Problems.Conflict("The change conflicts with another record: a duplicate key, or a record that is still referenced. Nothing was written.");
        }
    }

    /// <summary>Records a directory change in the audit log (the change itself is already saved).</summary>
    public static async Task AuditAsync(KilowalletDb db, AuditLog audit, HttpContext http, string action, string target, object? details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(http);
        audit.Record(db, AuditLog.ActorOf(http.User), action, target, details, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
    }
}
