using Kilowallet.Server.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Auth;

/// <summary>Persistence mapping of tenants' one-time sign-in codes.</summary>
public sealed class SignInCodeModel : IEntityTypeConfiguration<SignInCode>
{
    public void Configure(EntityTypeBuilder<SignInCode> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("sign_in_codes");
        builder.Property(c => c.Destination).HasMaxLength(254);
        builder.Property(c => c.CodeHash).HasMaxLength(64);
        builder.Property(c => c.Salt).HasMaxLength(32);
        builder.Property(c => c.RequestedFrom).HasMaxLength(64);
        builder.HasIndex(c => new { c.Destination, c.CreatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId);
    }
}
