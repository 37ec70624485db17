namespace Kilowallet.Server.Notifications;

/// <summary>Section "Notifications:Email": the SMTP server that sends email. Empty host: email off.</summary>
public sealed record SmtpOptions
{
    public string? Host { get; init; }

    public int Port { get; init; } = 587;

    /// <summary>None, Auto, SslOnConnect, StartTls or StartTlsWhenAvailable.</summary>
    public string Security { get; init; } = "StartTls";

    public string? UserName { get; init; }

    public string? Password { get; init; }

    public string? FromAddress { get; init; }

    public string FromName { get; init; } = "Kilowallet";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
