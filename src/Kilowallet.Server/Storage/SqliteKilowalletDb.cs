using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Storage;

/// <summary>The model on the embedded SQLite default; owns the SQLite migrations.</summary>
public sealed class SqliteKilowalletDb(DbContextOptions<SqliteKilowalletDb> options) : KilowalletDb(options);
