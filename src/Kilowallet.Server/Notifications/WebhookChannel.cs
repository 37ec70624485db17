using System.Text;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// Signed webhooks to integrators: the event's JSON POSTed to the subscription's URL with
/// <see cref="WebhookSignature"/>, the event id (the same for every retry and every subscriber, for
/// the receiver's deduplication) and the delivery id. Redirects are not followed.
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory httpClients, TimeProvider clock) : INotificationChannel
{
    public const string HttpClientName = "kilowallet-webhooks";

    public NotificationChannel Channel => NotificationChannel.Webhook;

    public bool IsConfigured => true;

    public async Task<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Webhook is not { } target)
        {
            return DeliveryResult.NotConfigured("The webhook subscription no longer exists.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(message.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(target.Secret, clock.GetUtcNow(), message.Body));
        request.Headers.TryAddWithoutValidation(WebhookSignature.EventIdHeader, message.EventKey);
        request.Headers.TryAddWithoutValidation(WebhookSignature.EventHeader, message.EventCode);
        request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryHeader, message.MessageId);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode
                ? DeliveryResult.Delivered
                : DeliveryResult.Retry($"The webhook endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (HttpRequestException ex)
        {
            return DeliveryResult.Retry("The webhook endpoint is unreachable: " + ex.Message);
        }
    }
}
