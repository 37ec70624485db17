namespace Kilowallet.Server.Notifications;

/// <summary>
/// Section "Notifications:Sms": one generic HTTP adapter for SMS gateways. The URL and the body
/// template may use {phone}, {text} and {id} (the message's stable idempotency id); values are
/// URL-encoded in the URL and in form bodies and JSON-escaped in JSON bodies. Empty URL: SMS off.
/// </summary>
public sealed record SmsGatewayOptions
{
    public string? Url { get; init; }

    /// <summary>GET, POST or PUT.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>"json" (application/json) or "form" (application/x-www-form-urlencoded).</summary>
    public string ContentType { get; init; } = "json";

    public string BodyTemplate { get; init; } = """{"to":"{phone}","text":"{text}","id":"{id}"}""";

    /// <summary>An optional header carrying the gateway's credentials, e.g. "Authorization".</summary>
    public string? AuthHeaderName { get; init; }

    /// <summary>The value of <see cref="AuthHeaderName"/>, e.g. "Bearer abc…".</summary>
    public string? AuthHeaderValue { get; init; }

    /// <summary>When set, a 2xx response counts as accepted only if this JSON field (dotted path, e.g. "result.code") …</summary>
    public string? SuccessJsonField { get; init; }

    /// <summary>… has this value (compared as text; true/false/numbers as written in JSON).</summary>
    public string? SuccessJsonValue { get; init; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);

    public bool IsForm => string.Equals(ContentType, "form", StringComparison.OrdinalIgnoreCase);
}
