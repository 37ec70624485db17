using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Alarms;

public sealed class AlarmsModel : IEntityTypeConfiguration<AlarmRecord>
{
    public void Configure(EntityTypeBuilder<AlarmRecord> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("alarms");
        builder.Property(a => a.Key).HasMaxLength(120);
        builder.Property(a => a.Detail).HasMaxLength(500);
        builder.Property(a => a.AcknowledgedBy).HasMaxLength(128);
        builder.Property(a => a.ClearedBy).HasMaxLength(128);

        // One open alarm per cause, enforced by the database (both providers support partial indexes).
        builder.HasIndex(a => a.Key).IsUnique().HasFilter("cleared_at IS NULL").HasDatabaseName("ux_alarms_open_key");
        builder.HasIndex(a => new { a.ClearedAt, a.Severity });
        builder.HasIndex(a => new { a.SourceKind, a.SourceId, a.RaisedAt });
    }
}
