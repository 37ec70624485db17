using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Tariffs;

public sealed class TariffsModel :
    IEntityTypeConfiguration<TariffPlanRecord>, IEntityTypeConfiguration<TariffVersionRecord>,
    IEntityTypeConfiguration<TariffAssignmentRecord>, IEntityTypeConfiguration<SiteHoliday>
{
    public void Configure(EntityTypeBuilder<TariffPlanRecord> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("tariff_plans");
        builder.Property(p => p.Code).HasMaxLength(64);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.HasIndex(p => new { p.SiteId, p.Code }).IsUnique();
        builder.HasOne<Site>().WithMany().HasForeignKey(p => p.SiteId);
    }

    public void Configure(EntityTypeBuilder<TariffVersionRecord> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("tariff_versions");
        builder.HasIndex(v => new { v.PlanId, v.Number }).IsUnique();
        builder.Property(v => v.Definition).HasMaxLength(200_000);
        builder.Property(v => v.CreatedBy).HasMaxLength(128);
        builder.HasOne<TariffPlanRecord>().WithMany().HasForeignKey(v => v.PlanId);
    }

    public void Configure(EntityTypeBuilder<TariffAssignmentRecord> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("tariff_assignments");
        builder.HasIndex(a => new { a.AccountId, a.From });
        builder.HasIndex(a => new { a.MeterId, a.From });
        builder.Property(a => a.CreatedBy).HasMaxLength(128);
        builder.HasOne<TariffPlanRecord>().WithMany().HasForeignKey(a => a.PlanId);
        builder.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId);
        builder.HasOne<Meter>().WithMany().HasForeignKey(a => a.MeterId);
        builder.ToTable(t => t.HasCheckConstraint("ck_tariff_assignments_target", "(account_id IS NULL) <> (meter_id IS NULL)"));
    }

    public void Configure(EntityTypeBuilder<SiteHoliday> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("site_holidays");
        builder.HasKey(h => new { h.SiteId, h.Date });
        builder.Property(h => h.Name).HasMaxLength(100);
        builder.HasOne<Site>().WithMany().HasForeignKey(h => h.SiteId);
    }
}
