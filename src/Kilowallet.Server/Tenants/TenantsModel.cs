using Kilowallet.Server.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Tenants;

/// <summary>Persistence mapping of tenants.</summary>
public sealed class TenantsModel : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(t => t.Id).ValueGeneratedOnAdd();
        builder.Property(t => t.Code).HasMaxLength(32);
        builder.HasIndex(t => new { t.SiteId, t.Code }).IsUnique();
        builder.HasIndex(t => t.Phone);
        builder.HasOne<Site>().WithMany().HasForeignKey(t => t.SiteId);
        builder.Property(t => t.Phone).HasMaxLength(32);
        builder.Property(t => t.Email).HasMaxLength(254);
    }
}
