using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Metering;

/// <summary>Persistence mapping of readings, rating state, hourly usage and quarantines.</summary>
public sealed class ReadingsModel :
    IEntityTypeConfiguration<MeterReadingRecord>, IEntityTypeConfiguration<MeterRatingState>, IEntityTypeConfiguration<UsageBucket>,
    IEntityTypeConfiguration<QuarantinedInterval>, IEntityTypeConfiguration<RejectedReading>
{
    public void Configure(EntityTypeBuilder<MeterReadingRecord> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("readings");
        builder.HasKey(r => new { r.MeterId, r.At });
        builder.HasOne<Meter>().WithMany().HasForeignKey(r => r.MeterId);
    }

    public void Configure(EntityTypeBuilder<MeterRatingState> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("meter_rating_states");
        builder.HasKey(s => s.MeterId);
        builder.HasOne<Meter>().WithOne().HasForeignKey<MeterRatingState>(s => s.MeterId);
    }

    public void Configure(EntityTypeBuilder<UsageBucket> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("usage_hourly");
        builder.HasKey(u => new { u.MeterId, u.HourStart, u.Band, u.AccountKey });
        builder.HasIndex(u => new { u.AccountKey, u.HourStart });
        builder.HasIndex(u => u.HourStart);
        builder.HasOne<Meter>().WithMany().HasForeignKey(u => u.MeterId);
    }

    public void Configure(EntityTypeBuilder<QuarantinedInterval> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("quarantined_intervals");
        builder.HasIndex(q => new { q.MeterId, q.ResolvedAt });
        builder.Property(q => q.Detail).HasMaxLength(500);
        builder.Property(q => q.ResolvedBy).HasMaxLength(128);
        builder.Property(q => q.Resolution).HasMaxLength(500);
        builder.HasOne<Meter>().WithMany().HasForeignKey(q => q.MeterId);
    }

    public void Configure(EntityTypeBuilder<RejectedReading> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("rejected_readings");
        builder.HasIndex(r => new { r.MeterId, r.At });
        builder.Property(r => r.Reason).HasMaxLength(300);
        builder.Property(r => r.Values).HasMaxLength(2000);
        builder.HasOne<Meter>().WithMany().HasForeignKey(r => r.MeterId);
    }
}
