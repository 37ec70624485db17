using Kilowallet.Protocols.Profiles;
using Kilowallet.Server.Hosting;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Metrics;

namespace Kilowallet.Server.Metering;

public static class MeteringServiceCollectionExtensions
{
    /// <summary>Meter profiles, the meter directory, the reading pipeline, billing and charge posting, metrics.</summary>
    public static IServiceCollection AddKilowalletMetering(this IServiceCollection services, IConfiguration? configuration = null)
    {
        if (configuration is not null)
        {
            services.AddOptions<Acquisition.AcquisitionOptions>().Bind(configuration.GetSection(Acquisition.AcquisitionOptions.Section)).ValidateOnStart();
            services.AddOptions<Mqtt.MqttOptions>().Bind(configuration.GetSection(Mqtt.MqttOptions.Section)).ValidateOnStart();
        }

        services.AddMeterProfiles();
        services.AddSingleton<KilowalletMetrics>();
        services.AddSingleton<MeterDirectory>();
        services.AddSingleton<ReadingPipeline>();
        services.AddSingleton<BalanceSignal>();
        services.AddSingleton<ReadingBiller>();
        services.AddSingleton<ChargePoster>();
        services.AddHostedService<BillingWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<ChargePoster>());
        services.AddSingleton<Acquisition.LiveStateStore>();
        services.AddSingleton<Acquisition.SampleSink>();
        return services;
    }

    /// <summary>The meter profile catalogue, loaded once; invalid profiles stop the start with every error listed.</summary>
    public static IServiceCollection AddMeterProfiles(this IServiceCollection services)
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
        return services;
    }

    /// <summary>Polling of gateways and MQTT ingestion (the embedded broker when configured).</summary>
    public static IServiceCollection AddKilowalletAcquisition(this IServiceCollection services)
    {
        services.AddSingleton<Mqtt.EmbeddedBroker>();
        services.AddHostedService(sp => sp.GetRequiredService<Mqtt.EmbeddedBroker>());
        services.AddSingleton<Mqtt.MqttIngestion>();
        services.AddHostedService(sp => sp.GetRequiredService<Mqtt.MqttIngestion>());
        services.AddSingleton<Acquisition.AcquisitionService>();
        services.AddHostedService(sp => sp.GetRequiredService<Acquisition.AcquisitionService>());
        return services;
    }
}
