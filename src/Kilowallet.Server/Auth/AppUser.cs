using Kilowallet.Domain;
using Microsoft.AspNetCore.Identity;

namespace Kilowallet.Server.Auth;

/// <summary>A person who signs in: staff (admin, operator, cashier) or a tenant.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>The tenant this user acts for; set only for users in the tenant role.</summary>
    public TenantId? TenantId { get; set; }

    public Language Language { get; set; } = Language.SimplifiedChinese;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A disabled user cannot sign in; users are disabled, never deleted, so the audit log keeps its actors.</summary>
    public bool Disabled { get; set; }
}
