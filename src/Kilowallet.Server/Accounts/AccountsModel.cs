using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Accounts;

/// <summary>Persistence mapping of prepaid accounts.</summary>
public sealed class AccountsModel : IEntityTypeConfiguration<Account>, IEntityTypeConfiguration<BalanceEventRecord>, IEntityTypeConfiguration<ConsumerCursor>, IEntityTypeConfiguration<MeterAssignment>
{
    public void Configure(EntityTypeBuilder<MeterAssignment> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.HasIndex(a => new { a.MeterId, a.At });
        builder.HasIndex(a => a.AccountId);
        builder.HasOne<Meter>().WithMany().HasForeignKey(a => a.MeterId);
        builder.Property(a => a.FinalReadingSource).HasMaxLength(16);
        builder.Property(a => a.Actor).HasMaxLength(128);
        builder.Property(a => a.Reason).HasMaxLength(500);
    }

    public void Configure(EntityTypeBuilder<BalanceEventRecord> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("balance_events");
        builder.HasIndex(e => new { e.AccountId, e.Id });
        builder.Property(e => e.Cause).HasMaxLength(32);
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId);
    }

    public void Configure(EntityTypeBuilder<ConsumerCursor> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.HasKey(c => c.Consumer);
        builder.Property(c => c.Consumer).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<Account> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(a => a.Id).ValueGeneratedOnAdd();
        builder.Property(a => a.Number).HasMaxLength(32);
        builder.HasIndex(a => new { a.SiteId, a.Number }).IsUnique();
        builder.HasOne<Site>().WithMany().HasForeignKey(a => a.SiteId);
        builder.HasOne(a => a.Tenant).WithMany().HasForeignKey(a => a.TenantId);

        // The naming convention would glue the digit to the word (warning1minor); hand-written SQL reads better with it apart.
        builder.Property(a => a.Warning1Minor).HasColumnName("warning1_minor");
        builder.Property(a => a.Warning2Minor).HasColumnName("warning2_minor");
        builder.Property(a => a.Warning1Announced).HasColumnName("warning1_announced");
        builder.Property(a => a.Warning2Announced).HasColumnName("warning2_announced");
    }
}
