using System.Globalization;
using System.Text.Json;
using Kilowallet.Server.Auth;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kilowallet.Server.Notifications;

/// <summary>Checks the "Notifications" settings at start, naming the setting that is wrong.</summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, "PollSeconds", options.PollSeconds, 1, 3600);
        Range(errors, "BatchSize", options.BatchSize, 1, 1000);
        Range(errors, "SendTimeoutSeconds", options.SendTimeoutSeconds, 1, 600);
        Range(errors, "MaxAttempts", options.MaxAttempts, 1, 100);
        Range(errors, "RetryBaseSeconds", options.RetryBaseSeconds, 1, 86_400);
        Range(errors, "RetryMaxSeconds", options.RetryMaxSeconds, options.RetryBaseSeconds, 7 * 86_400);
        Range(errors, "BalanceEventMaxAgeHours", options.BalanceEventMaxAgeHours, 1, 24 * 365);
        Range(errors, "EventSettleSeconds", options.EventSettleSeconds, 0, 3600);
        Range(errors, "ForecastWarnDays", options.ForecastWarnDays, 1, 60);
        Range(errors, "ForecastCheckMinutes", options.ForecastCheckMinutes, 1, 24 * 60);
        var batchTime = (long)options.BatchSize * options.SendTimeoutSeconds;
        if (options.LeaseSeconds < batchTime + 30)
        {
            errors.Add($"Notifications:LeaseSeconds must be at least BatchSize × SendTimeoutSeconds + 30 ({batchTime + 30}), so a claim outlasts its batch.");
        }

        if (!TimeOnly.TryParseExact(options.ForecastLocalTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add($"Notifications:ForecastLocalTime must be a time of day as HH:mm, not '{options.ForecastLocalTime}'.");
        }

        foreach (var role in options.AlarmRoles ?? [])
        {
            if (role == Roles.Tenant || !Roles.All.Contains(role))
            {
                errors.Add($"Notifications:AlarmRoles may name admin, operator or cashier, not '{role}'.");
            }
        }

        ValidateSms(errors, options.Sms ?? new SmsGatewayOptions());
        ValidateEmail(errors, options.Email ?? new SmtpOptions());
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateSms(List<string> errors, SmsGatewayOptions sms)
    {
        if (!sms.IsConfigured)
        {
            return;
        }

        if (!Uri.TryCreate(sms.Url!.Replace("{", string.Empty, StringComparison.Ordinal).Replace("}", string.Empty, StringComparison.Ordinal), UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Notifications:Sms:Url must be an absolute http or https URL, not '{sms.Url}'.");
        }

        if (sms.Method.ToUpperInvariant() is not ("GET" or "POST" or "PUT"))
        {
            errors.Add($"Notifications:Sms:Method must be GET, POST or PUT, not '{sms.Method}'.");
        }

        if (sms.ContentType.ToLowerInvariant() is not ("json" or "form"))
        {
            errors.Add($"Notifications:Sms:ContentType must be json or form, not '{sms.ContentType}'.");
        }
        else if (!sms.IsForm && !string.Equals(sms.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var _ = JsonDocument.Parse(SmsGatewayChannel.FillBody(sms, "+8613800000000", "text \"quoted\"", "id-1"));
            }
            catch (JsonException ex)
            {
                errors.Add($"Notifications:Sms:BodyTemplate does not give JSON once filled in: {ex.Message}");
            }
        }

        if (string.IsNullOrWhiteSpace(sms.AuthHeaderName) != string.IsNullOrWhiteSpace(sms.AuthHeaderValue))
        {
            errors.Add("Notifications:Sms:AuthHeaderName and AuthHeaderValue go together: set both or neither.");
        }

        if (string.IsNullOrWhiteSpace(sms.SuccessJsonField) != (sms.SuccessJsonValue is null))
        {
            errors.Add("Notifications:Sms:SuccessJsonField and SuccessJsonValue go together: set both or neither.");
        }
    }

    private static void ValidateEmail(List<string> errors, SmtpOptions email)
    {
        if (!email.IsConfigured)
        {
            return;
        }

        Range(errors, "Email:Port", email.Port, 1, 65_535);
        if (!Enum.TryParse<SecureSocketOptions>(email.Security, ignoreCase: true, out _))
        {
            errors.Add($"Notifications:Email:Security must be None, Auto, SslOnConnect, StartTls or StartTlsWhenAvailable, not '{email.Security}'.");
        }

        if (string.IsNullOrWhiteSpace(email.FromAddress) || !MailboxAddress.TryParse(email.FromAddress, out _))
        {
            errors.Add("Notifications:Email:FromAddress must be an email address when Notifications:Email:Host is set.");
        }

        if (!string.IsNullOrEmpty(email.UserName) && email.Password is null)
        {
            errors.Add("Notifications:Email:Password is required with Notifications:Email:UserName.");
        }
    }

    private static void Range(List<string> errors, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"Notifications:{setting} must be between {min} and {max}, not {value}.");
        }
    }
}
