using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Sites;

/// <summary>Persistence mapping of sites, areas and shops.</summary>
public sealed class SitesModel : IEntityTypeConfiguration<Site>, IEntityTypeConfiguration<Area>, IEntityTypeConfiguration<Shop>
{
    public void Configure(EntityTypeBuilder<Site> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(s => s.Id).ValueGeneratedOnAdd();
        builder.HasIndex(s => s.Code).IsUnique();
        builder.Property(s => s.Code).HasMaxLength(32);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.HasMany(s => s.Areas).WithOne(a => a.Site).HasForeignKey(a => a.SiteId);
    }

    public void Configure(EntityTypeBuilder<Area> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(a => a.Id).ValueGeneratedOnAdd();
        builder.Property(a => a.Code).HasMaxLength(32);
        builder.HasIndex(a => new { a.SiteId, a.Code }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<Shop> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(s => s.Id).ValueGeneratedOnAdd();
        builder.Property(s => s.UnitNumber).HasMaxLength(32);
        builder.HasIndex(s => new { s.SiteId, s.UnitNumber }).IsUnique();
        builder.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId);
        builder.HasOne(s => s.Area).WithMany().HasForeignKey(s => s.AreaId);
        builder.Property(s => s.FloorAreaM2).HasPrecision(12, 2);
        builder.Property(s => s.PowerLimitKw).HasPrecision(12, 3);
    }
}
