using Kilowallet.Server.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Payments;

public sealed class PaymentsModel : IEntityTypeConfiguration<PaymentOrder>, IEntityTypeConfiguration<PaymentCallbackRecord>, IEntityTypeConfiguration<DemoPayTransaction>
{
    public void Configure(EntityTypeBuilder<PaymentOrder> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(o => o.OrderNo).HasMaxLength(40);
        builder.HasIndex(o => o.OrderNo).IsUnique();
        builder.Property(o => o.Provider).HasMaxLength(32);
        builder.Property(o => o.ProviderTransactionId).HasMaxLength(128);
        builder.HasIndex(o => new { o.Provider, o.ProviderTransactionId }).IsUnique();
        builder.HasIndex(o => new { o.Status, o.CreatedAt });
        builder.HasIndex(o => new { o.AccountId, o.Id });
        builder.Property(o => o.Currency).HasMaxLength(3);
        builder.Property(o => o.CreatedBy).HasMaxLength(128);
        builder.Property(o => o.ReturnPath).HasMaxLength(300);
        builder.HasOne<Account>().WithMany().HasForeignKey(o => o.AccountId);
    }

    public void Configure(EntityTypeBuilder<PaymentCallbackRecord> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("payment_callbacks");
        builder.Property(c => c.Provider).HasMaxLength(32);
        builder.Property(c => c.Outcome).HasMaxLength(300);
        builder.Property(c => c.OrderNo).HasMaxLength(40);
        builder.Property(c => c.Body).HasMaxLength(4000);
        builder.Property(c => c.RemoteAddress).HasMaxLength(64);
        builder.HasIndex(c => c.ReceivedAt);
    }

    public void Configure(EntityTypeBuilder<DemoPayTransaction> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("demo_pay_transactions");
        builder.Property(t => t.OrderNo).HasMaxLength(40);
        builder.Property(t => t.TransactionId).HasMaxLength(64);
        builder.HasIndex(t => t.OrderNo).IsUnique();
    }
}
