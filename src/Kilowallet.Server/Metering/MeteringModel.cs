using Kilowallet.Server.Accounts;
using Kilowallet.Server.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Metering;

/// <summary>Persistence mapping of gateways and meters.</summary>
public sealed class MeteringModel : IEntityTypeConfiguration<Gateway>, IEntityTypeConfiguration<Meter>
{
    public void Configure(EntityTypeBuilder<Gateway> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(g => g.Id).ValueGeneratedOnAdd();
        builder.HasIndex(g => new { g.SiteId, g.Name }).IsUnique();
        builder.HasOne<Site>().WithMany().HasForeignKey(g => g.SiteId);
        builder.Property(g => g.Parity).HasMaxLength(1);
    }

    public void Configure(EntityTypeBuilder<Meter> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(m => m.Id).ValueGeneratedOnAdd();
        builder.Property(m => m.Serial).HasMaxLength(64);
        builder.HasIndex(m => m.Serial).IsUnique();
        builder.Property(m => m.ProfileName).HasMaxLength(64);
        builder.Property(m => m.Dlt645Address).HasMaxLength(12);
        builder.Property(m => m.MqttClientId).HasMaxLength(128);
        builder.HasOne<Site>().WithMany().HasForeignKey(m => m.SiteId);
        builder.HasOne<Gateway>().WithMany().HasForeignKey(m => m.GatewayId);
        builder.HasOne<Shop>().WithMany().HasForeignKey(m => m.ShopId);
        builder.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId);
        builder.HasIndex(m => new { m.GatewayId, m.UnitId });
        builder.Property(m => m.CtRatio).HasPrecision(12, 4);
        builder.Property(m => m.PtRatio).HasPrecision(12, 4);
    }
}
