using Kilowallet.Server.Auth;

namespace Kilowallet.Server.Notifications;

/// <summary>Configuration section "Notifications": the outbox, its workers and the channels.</summary>
public sealed record NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Run the dispatcher, the balance-event consumer and the forecast job in the background (tests drive them by hand).</summary>
    public bool WorkersEnabled { get; init; } = true;

    /// <summary>How often the workers look for work.</summary>
    public int PollSeconds { get; init; } = 5;

    /// <summary>Messages a dispatcher claims at a time.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>The longest one send may take (HTTP request, SMTP session) before it counts as failed.</summary>
    public int SendTimeoutSeconds { get; init; } = 20;

    /// <summary>How long a claim holds; must outlast a whole batch of sends, so no other node takes a row still being sent.</summary>
    public int LeaseSeconds { get; init; } = 300;

    /// <summary>Attempts before a message is marked failed; with the default backoff 12 attempts span about 16 hours.</summary>
    public int MaxAttempts { get; init; } = 12;

    /// <summary>The wait after the first failed attempt; it doubles after each further failure.</summary>
    public int RetryBaseSeconds { get; init; } = 60;

    /// <summary>The longest wait between two attempts.</summary>
    public int RetryMaxSeconds { get; init; } = 4 * 3600;

    /// <summary>Balance events older than this when first read (a backlog after downtime) are passed over: a stale reminder helps nobody.</summary>
    public int BalanceEventMaxAgeHours { get; init; } = 24;

    /// <summary>
    /// PostgreSQL may commit balance events out of id order; a gap in the ids is waited for this long
    /// (its transaction commits or rolls back) before the consumer reads past it.
    /// </summary>
    public int EventSettleSeconds { get; init; } = 60;

    /// <summary>Local time of each site after which the daily "about N days left" forecast is sent (HH:mm).</summary>
    public string ForecastLocalTime { get; init; } = "10:00";

    /// <summary>The forecast is sent when credit lasts at least one and at most this many days.</summary>
    public int ForecastWarnDays { get; init; } = 3;

    /// <summary>How often the forecast job runs; it sends at most once per account and local day.</summary>
    public int ForecastCheckMinutes { get; init; } = 60;

    /// <summary>Staff roles whose users receive operator alarms when the request names none.</summary>
    public IReadOnlyList<string> AlarmRoles { get; init; } = [Roles.Admin, Roles.Operator];

    public SmsGatewayOptions Sms { get; init; } = new();

    public SmtpOptions Email { get; init; } = new();

    public TimeSpan SendTimeout => TimeSpan.FromSeconds(SendTimeoutSeconds);

    /// <summary>The wait before the attempt after <paramref name="attemptsSoFar"/> failed attempts.</summary>
    public TimeSpan RetryDelay(int attemptsSoFar)
    {
        var exponent = Math.Clamp(attemptsSoFar - 1, 0, 30);
        var seconds = Math.Min((double)RetryMaxSeconds, RetryBaseSeconds * Math.Pow(2, exponent));
        return TimeSpan.FromSeconds(seconds);
    }
}
