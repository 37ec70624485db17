using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// Email over SMTP with MailKit: one session per message, plain-text body, the outbox message's
/// stable id as the Message-ID so a receiving system can recognise a repeat.
/// </summary>
public sealed class EmailChannel(IOptions<NotificationOptions> options) : INotificationChannel
{
    public NotificationChannel Channel => NotificationChannel.Email;

    public bool IsConfigured => options.Value.Email.IsConfigured;

    public async Task<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value.Email;
        if (!settings.IsConfigured)
        {
            return DeliveryResult.NotConfigured("Email is not configured (Notifications:Email:Host is empty).");
        }

        if (!MailboxAddress.TryParse(message.Address, out var to))
        {
            return DeliveryResult.Rejected($"'{message.Address}' is not an email address.");
        }

        using var mail = new MimeMessage
        {
            Subject = message.Subject,
            Body = new TextPart("plain") { Text = message.Body },
            MessageId = message.MessageId + "@kilowallet",
        };
        mail.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress!));
        mail.To.Add(to);

        using var smtp = new SmtpClient { Timeout = (int)options.Value.SendTimeout.TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(settings.Host!, settings.Port, Enum.Parse<SecureSocketOptions>(settings.Security, ignoreCase: true), cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await smtp.AuthenticateAsync(settings.UserName, settings.Password ?? string.Empty, cancellationToken);
            }

            await smtp.SendAsync(mail, cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
            return DeliveryResult.Delivered;
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted && (int)ex.StatusCode >= 500)
        {
            return DeliveryResult.Rejected($"The mail server refused {message.Address}: {ex.Message}");
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException
            or AuthenticationException or SslHandshakeException or TimeoutException)
        {
            return DeliveryResult.Retry("SMTP: " + ex.Message);
        }
    }
}
