using Microsoft.Extensions.Options;
using Npgsql;

namespace Kilowallet.Server.Storage;

/// <summary>Checks the storage settings before anything touches the database.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ProviderKind is null)
        {
            return ValidateOptionsResult.Fail($"Storage:Provider must be sqlite or postgres, not '{options.Provider}'.");
        }

        if (options.CommandTimeoutSeconds is < 1 or > 3600)
        {
            return ValidateOptionsResult.Fail("Storage:CommandTimeoutSeconds must be between 1 and 3600.");
        }

        if (options.ProviderKind == StorageProvider.Sqlite)
        {
            if (string.IsNullOrWhiteSpace(options.DataDirectory) || string.IsNullOrWhiteSpace(options.SqliteFileName))
            {
                return ValidateOptionsResult.Fail("Storage:DataDirectory and Storage:SqliteFileName must not be empty.");
            }

            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "Storage:ConnectionString is required when Storage:Provider is postgres (set it in appsettings.json or the environment variable Storage__ConnectionString).");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Storage:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
