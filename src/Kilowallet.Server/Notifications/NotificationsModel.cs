using Kilowallet.Server.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Notifications;

/// <summary>Persistence mapping of the notification outbox, tenants' notification settings and webhook subscriptions.</summary>
public sealed class NotificationsModel
    : IEntityTypeConfiguration<OutboxMessage>, IEntityTypeConfiguration<TenantNotificationSettings>, IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("notification_outbox");
        builder.Property(m => m.DedupKey).HasMaxLength(400);
        builder.HasIndex(m => m.DedupKey).IsUnique();
        builder.Property(m => m.EventKey).HasMaxLength(300);

        // The dispatcher's claim query: due pending rows in order.
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => new { m.TenantId, m.Channel, m.Id });
        builder.HasIndex(m => new { m.UserId, m.Channel, m.Id });
        builder.HasIndex(m => m.ClaimToken);
        builder.Property(m => m.UserId).HasMaxLength(450);
        builder.Property(m => m.Address).HasMaxLength(2000);
        builder.Property(m => m.Subject).HasMaxLength(500);
        builder.Property(m => m.Body).HasMaxLength(8000);
        builder.Property(m => m.ClaimToken).HasMaxLength(64);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId);
    }

    public void Configure(EntityTypeBuilder<TenantNotificationSettings> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("notification_settings");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.TenantId).ValueGeneratedNever();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId);
    }

    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("webhook_subscriptions");
        builder.Property(w => w.Url).HasMaxLength(2000);
        builder.Property(w => w.Secret).HasMaxLength(200);
        builder.Property(w => w.EventKinds).HasMaxLength(500);
        builder.Property(w => w.Description).HasMaxLength(200);
    }
}
