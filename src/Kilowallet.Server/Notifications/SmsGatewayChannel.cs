using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// SMS through any HTTP SMS gateway, described by <see cref="SmsGatewayOptions"/>: URL, method,
/// JSON or form body from a template, an optional credentials header, and what counts as accepted
/// (a 2xx status, plus optionally a JSON field with a given value).
/// </summary>
/// <remarks>
/// Every attempt at a message carries the same id ({id} in the template and the Idempotency-Key
/// header). The one ambiguous case is a gateway that accepted a message but did not answer before
/// the timeout: the message is retried with the same id. A gateway that deduplicates by that id
/// drops the repeat; one that does not may send the SMS twice. We accept that rare duplicate
/// rather than risk a tenant never hearing that their power is about to be cut.
/// </remarks>
public sealed class SmsGatewayChannel(IHttpClientFactory httpClients, IOptions<NotificationOptions> options) : INotificationChannel
{
    public const string HttpClientName = "kilowallet-sms";

    private static readonly JavaScriptEncoder JsonText = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public NotificationChannel Channel => NotificationChannel.Sms;

    public bool IsConfigured => options.Value.Sms.IsConfigured;

    public async Task<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sms = options.Value.Sms;
        if (!sms.IsConfigured)
        {
            return DeliveryResult.NotConfigured("SMS is not configured (Notifications:Sms:Url is empty).");
        }

        var method = new HttpMethod(sms.Method.ToUpperInvariant());
        using var request = new HttpRequestMessage(method, FillUrl(sms.Url!, message.Address, message.Body, message.MessageId));
        if (method != HttpMethod.Get)
        {
            var body = FillBody(sms, message.Address, message.Body, message.MessageId);
            request.Content = new StringContent(body, Encoding.UTF8, sms.IsForm ? "application/x-www-form-urlencoded" : "application/json");
        }

        request.Headers.TryAddWithoutValidation("Idempotency-Key", message.MessageId);
        if (!string.IsNullOrWhiteSpace(sms.AuthHeaderName))
        {
            request.Headers.TryAddWithoutValidation(sms.AuthHeaderName, sms.AuthHeaderValue);
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return DeliveryResult.Retry("SMS gateway unreachable: " + ex.Message);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var error = $"SMS gateway answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(text)}";
                return response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity
                    ? DeliveryResult.Rejected(error)
                    : DeliveryResult.Retry(error);
            }

            if (string.IsNullOrWhiteSpace(sms.SuccessJsonField))
            {
                return DeliveryResult.Delivered;
            }

            return FieldMatches(text, sms.SuccessJsonField, sms.SuccessJsonValue!)
                ? DeliveryResult.Delivered
                : DeliveryResult.Retry($"SMS gateway answered {(int)response.StatusCode} without {sms.SuccessJsonField} = {sms.SuccessJsonValue}: {Shorten(text)}");
        }
    }

    /// <summary>The request body: the template with {phone}, {text} and {id} filled in, encoded for the content type.</summary>
    public static string FillBody(SmsGatewayOptions sms, string phone, string text, string id)
    {
        ArgumentNullException.ThrowIfNull(sms);
        Func<string, string> encode = sms.IsForm ? WebUtility.UrlEncode : JsonText.Encode;
        return Fill(sms.BodyTemplate, phone, text, id, encode);
    }

    public static Uri FillUrl(string template, string phone, string text, string id) =>
        new(Fill(template, phone, text, id, Uri.EscapeDataString), UriKind.Absolute);

    private static string Fill(string template, string phone, string text, string id, Func<string, string> encode) =>
        template
            .Replace("{phone}", encode(phone), StringComparison.Ordinal)
            .Replace("{text}", encode(text), StringComparison.Ordinal)
            .Replace("{id}", encode(id), StringComparison.Ordinal);

    private static bool FieldMatches(string json, string path, string expected)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var element = document.RootElement;
            foreach (var part in path.Split('.'))
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
                {
                    return false;
                }
            }

            var actual = element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
            return string.Equals(actual, expected, StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    internal static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
