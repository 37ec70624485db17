using Kilowallet.Server.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Ledger;

/// <summary>Persistence mapping of the ledger.</summary>
public sealed class LedgerModel : IEntityTypeConfiguration<LedgerAccount>, IEntityTypeConfiguration<LedgerEntry>, IEntityTypeConfiguration<LedgerLine>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(a => a.Key).HasMaxLength(80);
        builder.HasIndex(a => a.Key).IsUnique();
        builder.HasIndex(a => a.AccountId).IsUnique();
        builder.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId);
    }

    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(e => e.IdempotencyKey).HasMaxLength(240);
        builder.HasIndex(e => e.IdempotencyKey).IsUnique();
        builder.HasIndex(e => e.ReversesEntryId).IsUnique();
        builder.HasIndex(e => new { e.AccountId, e.Id });
        builder.HasIndex(e => new { e.ShiftId, e.Id });
        builder.HasIndex(e => e.At);
        builder.Property(e => e.RequestFingerprint).HasMaxLength(64);
        builder.Property(e => e.Reason).HasMaxLength(500);
        builder.Property(e => e.OperatorId).HasMaxLength(128);
        builder.Property(e => e.Channel).HasMaxLength(32);
        builder.Property(e => e.Reference).HasMaxLength(128);
        builder.HasOne<LedgerEntry>().WithMany().HasForeignKey(e => e.ReversesEntryId);
    }

    public void Configure(EntityTypeBuilder<LedgerLine> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.HasIndex(l => new { l.LedgerAccountId, l.EntryId });
        builder.HasIndex(l => l.EntryId);
        builder.HasOne<LedgerEntry>().WithMany().HasForeignKey(l => l.EntryId);
        builder.HasOne<LedgerAccount>().WithMany().HasForeignKey(l => l.LedgerAccountId);
    }
}
