using Kilowallet.Protocols.Profiles;
using Kilowallet.Server.Hosting;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Metrics;

namespace Kilowallet.Server.Metering;

public static class MeteringServiceCollectionExtensions
{
    /// <summary>Meter profiles, the meter directory, the reading pipeline, billing and charge posting, metrics.</summary>
    public static IServiceCollection AddKilowalletMetering(this IServiceCollection services)
    {
        services.AddSingleton(_ =>
        {
            try
            {
                return MeterProfileCatalog.LoadOrThrow();
            }
            catch (ProfileCatalogException ex)
            {
                throw new StartupException($"Meter profiles in {MeterProfileCatalog.DefaultDirectory} are invalid: {ex.Message}", ex);
            }
        });
        services.AddSingleton<KilowalletMetrics>();
        services.AddSingleton<MeterDirectory>();
        services.AddSingleton<ReadingPipeline>();
        services.AddSingleton<BalanceSignal>();
        services.AddSingleton<ReadingBiller>();
        services.AddSingleton<ChargePoster>();
        services.AddHostedService<BillingWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<ChargePoster>());
        return services;
    }
}
