using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Cashier;

public sealed class CashierModel : IEntityTypeConfiguration<CashierShift>
{
    public void Configure(EntityTypeBuilder<CashierShift> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(s => s.Cashier).HasMaxLength(128);
        builder.HasIndex(s => new { s.Cashier, s.ClosedAt });
    }
}
