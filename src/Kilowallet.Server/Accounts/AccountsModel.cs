using Kilowallet.Server.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Accounts;

/// <summary>Persistence mapping of prepaid accounts.</summary>
public sealed class AccountsModel : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(a => a.Id).ValueGeneratedOnAdd();
        builder.Property(a => a.Number).HasMaxLength(32);
        builder.HasIndex(a => new { a.SiteId, a.Number }).IsUnique();
        builder.HasOne<Site>().WithMany().HasForeignKey(a => a.SiteId);
        builder.HasOne(a => a.Tenant).WithMany().HasForeignKey(a => a.TenantId);
    }
}
