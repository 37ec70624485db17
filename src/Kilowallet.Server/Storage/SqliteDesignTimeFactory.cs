using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kilowallet.Server.Storage;

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteKilowalletDb</c> build the model without a running host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteKilowalletDb>
{
    public SqliteKilowalletDb CreateDbContext(string[] args) =>
        new(KilowalletDbFactory.ConfigureSqlite(new DbContextOptionsBuilder<SqliteKilowalletDb>(), "Data Source=design-time.db", 30).Options);
}
