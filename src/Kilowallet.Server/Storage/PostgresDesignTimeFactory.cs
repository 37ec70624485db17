using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace Kilowallet.Server.Storage;

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresKilowalletDb</c> build the model without a database.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresKilowalletDb>
{
    public PostgresKilowalletDb CreateDbContext(string[] args) =>
        new(KilowalletDbFactory.ConfigurePostgres(
            new DbContextOptionsBuilder<PostgresKilowalletDb>(),
            NpgsqlDataSource.Create("Host=localhost;Database=kilowallet_design"),
            30).Options);
}
