namespace Kilowallet.Server.Demo;

public static class DemoServiceCollectionExtensions
{
    public static IServiceCollection AddKilowalletDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.Section)).ValidateOnStart();
        services.AddHostedService<DemoSeeder>();
        return services;
    }
}
