using Kilowallet.Server.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kilowallet.Server.Auth;

/// <summary>Persistence mapping of API keys and the audit log (Identity maps its own tables).</summary>
public sealed class AuthModel : IEntityTypeConfiguration<ApiKey>, IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.Property(k => k.SecretHash).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("audit_log");
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.Target, a.At });
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.Details).HasMaxLength(8000);
        builder.Property(a => a.RemoteAddress).HasMaxLength(64);
    }
}
