using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// The notification outbox, its channels (SMS gateway, SMTP, webhooks, in-app), the dispatcher,
    /// the balance-event consumer and the daily forecast, configured by the "Notifications" section.
    /// </summary>
    public static IServiceCollection AddKilowalletNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();

        // The dispatcher's per-send timeout cancels first; the client timeout is a backstop.
        var backstop = TimeSpan.FromSeconds((configuration.GetValue<int?>($"{NotificationOptions.Section}:SendTimeoutSeconds") ?? 20) + 10);
        services.AddHttpClient(SmsGatewayChannel.HttpClientName, client => client.Timeout = backstop);
        services.AddHttpClient(WebhookChannel.HttpClientName, client => client.Timeout = backstop)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

        services.AddSingleton<INotificationChannel, SmsGatewayChannel>();
        services.AddSingleton<INotificationChannel, EmailChannel>();
        services.AddSingleton<INotificationChannel, WebhookChannel>();
        services.AddSingleton<INotificationChannel, InAppChannel>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<BalanceEventNotifier>();
        services.AddSingleton<ExhaustionForecastJob>();
        services.AddHostedService(sp => sp.GetRequiredService<BalanceEventNotifier>());
        services.AddHostedService(sp => sp.GetRequiredService<ExhaustionForecastJob>());
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        return services;
    }

    /// <summary>Maps the notification and webhook-subscription endpoints under <paramref name="api"/> (/api/v1).</summary>
    public static void MapKilowalletNotifications(this IEndpointRouteBuilder api)
    {
        NotificationEndpoints.Map(api);
        WebhookEndpoints.Map(api);
    }
}
