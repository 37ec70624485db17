using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Storage;

/// <summary>The model on PostgreSQL; owns the PostgreSQL migrations.</summary>
public sealed class PostgresKilowalletDb(DbContextOptions<PostgresKilowalletDb> options) : KilowalletDb(options);
