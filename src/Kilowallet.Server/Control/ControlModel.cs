using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Control;

/// <summary>Persistence mapping of relay commands, meter control states, keep-power exemptions and friendly hours.</summary>
public sealed class ControlModel :
    IEntityTypeConfiguration<RelayCommandRecord>,
    IEntityTypeConfiguration<MeterControlRecord>,
    IEntityTypeConfiguration<KeepPowerRecord>,
    IEntityTypeConfiguration<SiteControlPolicy>
{
    public void Configure(EntityTypeBuilder<RelayCommandRecord> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("relay_commands");
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
        builder.HasOne<Meter>().WithMany().HasForeignKey(c => c.MeterId);
        builder.HasIndex(c => new { c.MeterId, c.Sequence }).IsUnique();
        builder.HasIndex(c => new { c.Status, c.MeterId });
        builder.Property(c => c.Action).HasMaxLength(16);
        builder.Property(c => c.RequestedBy).HasMaxLength(128);
        builder.Property(c => c.Reason).HasMaxLength(500);
        builder.Property(c => c.Error).HasMaxLength(500);
    }

    public void Configure(EntityTypeBuilder<MeterControlRecord> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("meter_control");
        builder.HasKey(c => c.MeterId);
        builder.Property(c => c.MeterId).ValueGeneratedNever();
        builder.HasOne<Meter>().WithOne().HasForeignKey<MeterControlRecord>(c => c.MeterId);
        builder.Property(c => c.LockReason).HasMaxLength(500);
        builder.Property(c => c.LockedBy).HasMaxLength(128);
        builder.Property(c => c.LastDecision).HasMaxLength(300);
    }

    public void Configure(EntityTypeBuilder<KeepPowerRecord> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("keep_power_exemptions");
        builder.Property(k => k.Id).ValueGeneratedOnAdd();
        builder.HasOne<Meter>().WithMany().HasForeignKey(k => k.MeterId);
        builder.HasOne<Account>().WithMany().HasForeignKey(k => k.AccountId);
        builder.Property(k => k.Reason).HasMaxLength(500);
        builder.Property(k => k.GrantedBy).HasMaxLength(128);
        builder.Property(k => k.RevokedBy).HasMaxLength(128);
        builder.Property(k => k.RevokeReason).HasMaxLength(500);
        builder.HasIndex(k => new { k.MeterId, k.RevokedAt });
        builder.HasIndex(k => new { k.AccountId, k.RevokedAt });
    }

    public void Configure(EntityTypeBuilder<SiteControlPolicy> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("site_control_policies");
        builder.HasKey(p => p.SiteId);
        builder.Property(p => p.SiteId).ValueGeneratedNever();
        builder.HasOne<Site>().WithOne().HasForeignKey<SiteControlPolicy>(p => p.SiteId);
        builder.Property(p => p.DailyWindows).HasMaxLength(200);
        builder.Property(p => p.AllDayDays).HasMaxLength(100);
        builder.Property(p => p.UpdatedBy).HasMaxLength(128);
    }
}
