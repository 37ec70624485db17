using Kilowallet.Domain;

namespace Kilowallet.Server.Tenants;

/// <summary>A shop owner or company renting at a site.</summary>
public sealed class Tenant
{
    public TenantId Id { get; set; }

    public SiteId SiteId { get; set; }

    /// <summary>Unique within the site; used by imports and the API.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public string? ContactName { get; set; }

    /// <summary>Mobile number in E.164 form (e.g. +8613800138000).</summary>
    public string? Phone { get; set; }

    public string? Email { get; set; }

    public Language PreferredLanguage { get; set; }
}
