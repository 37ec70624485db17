using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the storage options, connections, the EF Core model and the initializer (first hosted service).</summary>
    public static IServiceCollection AddKilowalletStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<StorageConnections>();
        services.AddSingleton<IDbContextFactory<KilowalletDb>, KilowalletDbFactory>();
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<KilowalletDb>>().CreateDbContext());
        services.AddSingleton<StorageInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        return services;
    }
}
