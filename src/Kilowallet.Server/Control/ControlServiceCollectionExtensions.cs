using Kilowallet.Server.Safety;

namespace Kilowallet.Server.Control;

public static class ControlServiceCollectionExtensions
{
    /// <summary>
    /// Prepaid control and safety: the relay command state machines, the control loop, the safety monitor,
    /// their options (sections "Control" and "Safety", validated at start) and what they share.
    /// </summary>
    public static IServiceCollection AddKilowalletControl(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ControlOptions>().Bind(configuration.GetSection(ControlOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ControlOptions>, ControlOptionsValidator>();
        services.AddOptions<SafetyOptions>().Bind(configuration.GetSection(SafetyOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SafetyOptions>, SafetyOptionsValidator>();
        services.AddSingleton<ControlWake>();
        services.AddSingleton<SafetyHoldRegistry>();
        services.AddSingleton<ControlFactsLoader>();
        services.AddSingleton<RelayCommandService>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayCommandService>());
        services.AddSingleton<ControlService>();
        services.AddHostedService(sp => sp.GetRequiredService<ControlService>());
        services.AddSingleton<SafetyMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<SafetyMonitor>());
        return services;
    }
}
