using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kilowallet.Domain;
using Kilowallet.Domain.Notifications;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Auth;

/// <summary>
/// Shop owners sign in with a one-time code sent to the phone number or email address the property
/// has on file for their tenant: no password to forget. A code is six random digits, stored only as
/// a salted HMAC, valid for <see cref="CodeLifetime"/>, good for one sign-in, dead after
/// <see cref="MaxWrongAttempts"/> wrong tries; asking again replaces it, at most once a minute and
/// <see cref="MaxCodesPerHour"/> times an hour per address (the sign-in endpoints are also rate-limited
/// per client address). An unknown address gets the same answer as a known one and no message, so the
/// form does not tell who is a tenant. The session lasts Auth:TenantSessionDays (sliding).
/// </summary>
public sealed class TenantSignIn(
    KilowalletDb db,
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IEnumerable<INotificationChannel> channels,
    NotificationDispatcher dispatcher,
    IOptions<NotificationOptions> notificationOptions,
    IOptions<AuthOptions> authOptions,
    TimeProvider clock,
    ILogger<TenantSignIn> logger)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(60);
    public const int MaxWrongAttempts = 5;
    public const int MaxCodesPerHour = 5;

    /// <summary>What happened to a request for a code.</summary>
    public enum RequestOutcome
    {
        /// <summary>Sent if the address belongs to a tenant (the caller cannot tell).</summary>
        Sent,
        Invalid,
        TooSoon,
        TooMany,
        ChannelUnavailable,
    }

    /// <summary>What happened to a code typed in.</summary>
    public enum VerifyOutcome
    {
        SignedIn,
        Invalid,
        Wrong,
        Expired,
        Locked,
    }

    /// <summary>A phone number in E.164 form or a lower-case email address; null when it is neither.</summary>
    public static string? Normalize(string? input)
    {
        var text = (input ?? string.Empty).Trim();
        if (text.Contains('@', StringComparison.Ordinal))
        {
            var email = text.ToLowerInvariant();
            var at = email.IndexOf('@', StringComparison.Ordinal);
            return email.Length <= 254 && at > 0 && at == email.LastIndexOf('@') && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.') && !email.Any(char.IsWhiteSpace)
                ? email
                : null;
        }

        var digits = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (!(c is ' ' or '-' or '(' or ')' or '.' || (c == '+' && digits.Length == 0)))
            {
                return null;
            }
        }

        var number = digits.ToString();
        if (text.StartsWith("00", StringComparison.Ordinal))
        {
            number = number[2..];
        }
        else if (!text.StartsWith('+') && number.Length == 11 && number[0] == '1')
        {
            number = "86" + number; // a mainland mobile number typed without the country code
        }

        return number.Length is >= 8 and <= 15 && number[0] != '0' ? "+" + number : null;
    }

    public static bool IsEmail(string destination) => destination.Contains('@', StringComparison.Ordinal);

    /// <summary>Sends a new code to <paramref name="input"/> if it is a tenant's phone or email.</summary>
    public async Task<RequestOutcome> RequestCodeAsync(string? input, Language language, string? remoteAddress, CancellationToken cancellationToken)
    {
        if (Normalize(input) is not { } destination)
        {
            return RequestOutcome.Invalid;
        }

        var channel = IsEmail(destination) ? NotificationChannel.Email : NotificationChannel.Sms;
        if (!channels.Any(c => c.Channel == channel && c.IsConfigured))
        {
            logger.LogWarning("A sign-in code was asked for by {Channel}, which is not configured", channel);
            return RequestOutcome.ChannelUnavailable;
        }

        // ToLower() is translated to SQL lower(): addresses on file may have capitals.
#pragma warning disable CA1304, CA1311, CA1862
        var tenant = IsEmail(destination)
            ? await db.Tenants.AsNoTracking().Where(t => t.Email != null && t.Email.ToLower() == destination).OrderBy(t => t.Id).FirstOrDefaultAsync(cancellationToken)
            : await db.Tenants.AsNoTracking().Where(t => t.Phone == destination).OrderBy(t => t.Id).FirstOrDefaultAsync(cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        if (tenant is null)
        {
            logger.LogInformation("A sign-in code was asked for an address no tenant has");
            return RequestOutcome.Sent;
        }

        var now = clock.GetUtcNow();
        var hourAgo = now - TimeSpan.FromHours(1);
        var recent = await db.SignInCodes.Where(c => c.Destination == destination && c.CreatedAt > hourAgo).ToListAsync(cancellationToken);
        if (recent.Count >= MaxCodesPerHour)
        {
            return RequestOutcome.TooMany;
        }

        if (recent.Count > 0 && now - recent.Max(c => c.CreatedAt) < ResendInterval)
        {
            return RequestOutcome.TooSoon;
        }

        // Only the newest code works: earlier ones are retired.
        foreach (var older in recent.Where(c => c.UsedAt is null))
        {
            older.UsedAt = now;
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var salt = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var record = new SignInCode
        {
            Destination = destination,
            TenantId = tenant.Id,
            CodeHash = Hash(salt, code),
            Salt = salt,
            CreatedAt = now,
            ExpiresAt = now + CodeLifetime,
            RequestedFrom = remoteAddress is { Length: > 64 } ? remoteAddress[..64] : remoteAddress,
        };
        db.SignInCodes.Add(record);
        await db.SaveChangesAsync(cancellationToken);

        var message = NotificationTemplates.Render(NotificationKind.SignInCode, language, new TemplateValues { Detail = code });
        var eventKey = "sign-in-code:" + record.Id.ToString(CultureInfo.InvariantCulture);
        db.NotificationOutbox.Add(new OutboxMessage
        {
            DedupKey = eventKey + "/tenant:" + tenant.Id.Value.ToString(CultureInfo.InvariantCulture) + "/" + NotificationOutbox.ChannelCode(channel),
            EventKey = eventKey,
            Kind = NotificationKind.SignInCode,
            RecipientKind = RecipientKind.Tenant,
            TenantId = tenant.Id,
            Channel = channel,
            Address = destination,
            Language = language,
            Subject = message.Title,
            Body = message.Body,
            Status = OutboxStatus.Pending,
            CreatedAt = now,
            NotBefore = now,
            NextAttemptAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        SendSoon();
        return RequestOutcome.Sent;
    }

    /// <summary>Checks <paramref name="code"/> against the newest live code of the address and signs its tenant in.</summary>
    public async Task<VerifyOutcome> VerifyAndSignInAsync(string? input, string? code, CancellationToken cancellationToken)
    {
        var typed = new string((code ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        if (Normalize(input) is not { } destination || typed.Length != 6)
        {
            return VerifyOutcome.Invalid;
        }

        var now = clock.GetUtcNow();
        var live = await db.SignInCodes
            .Where(c => c.Destination == destination && c.UsedAt == null)
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (live is null || live.ExpiresAt <= now)
        {
            return VerifyOutcome.Expired;
        }

        if (live.FailedAttempts >= MaxWrongAttempts)
        {
            return VerifyOutcome.Locked;
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(live.Salt, typed)), Encoding.ASCII.GetBytes(live.CodeHash)))
        {
            // Counted in the database, so parallel guesses are all counted.
            await db.SignInCodes.Where(c => c.Id == live.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedAttempts, c => c.FailedAttempts + 1), cancellationToken);
            return live.FailedAttempts + 1 >= MaxWrongAttempts ? VerifyOutcome.Locked : VerifyOutcome.Wrong;
        }

        // Single use even when the same code is sent twice at once: only one UPDATE finds it unused.
        var claimed = await db.SignInCodes
            .Where(c => c.Id == live.Id && c.UsedAt == null && c.FailedAttempts < MaxWrongAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return VerifyOutcome.Expired;
        }

        var user = await UserForTenantAsync(live.TenantId, cancellationToken);
        if (user is null)
        {
            return VerifyOutcome.Locked;
        }

        await signIn.SignInAsync(user, new AuthenticationProperties
        {
            IsPersistent = true,
            AllowRefresh = true,
            IssuedUtc = now,
            ExpiresUtc = now + TimeSpan.FromDays(authOptions.Value.TenantSessionDays),
        });
        return VerifyOutcome.SignedIn;
    }

    /// <summary>The sign-in user of a tenant, created (in the tenant role, with no password) on first sign-in; null when disabled.</summary>
    public async Task<AppUser?> UserForTenantAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        var candidates = await users.Users.Where(u => u.TenantId == tenant).OrderBy(u => u.CreatedAt).ToListAsync(cancellationToken);
        foreach (var candidate in candidates)
        {
            if (await users.IsInRoleAsync(candidate, Roles.Tenant))
            {
                return candidate.Disabled ? null : candidate;
            }
        }

        var facts = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenant, cancellationToken);
        var user = new AppUser
        {
            UserName = "tenant-" + tenant.Value.ToString(CultureInfo.InvariantCulture),
            DisplayName = facts.Name,
            TenantId = tenant,
            Language = facts.PreferredLanguage,
            PhoneNumber = facts.Phone,
            Email = facts.Email,
            CreatedAt = clock.GetUtcNow(),
        };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Could not create the tenant's user: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(user, Roles.Tenant);
        return user;
    }

    private static string Hash(string salt, string code) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.ASCII.GetBytes(salt), Encoding.ASCII.GetBytes(code)));

    /// <summary>A person is waiting for the code: dispatch now rather than at the next poll (when the workers run).</summary>
    private void SendSoon()
    {
        if (!notificationOptions.Value.WorkersEnabled)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await dispatcher.RunOnceAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Immediate dispatch of a sign-in code failed; the dispatcher will retry");
            }
        });
    }
}
