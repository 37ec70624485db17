using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Tenants;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Storage;

/// <summary>
/// The EF Core model of Kilowallet. Provider-specific subclasses exist only so each provider has
/// its own migrations; the model is the same. Configuration lives with each feature
/// (<c>IEntityTypeConfiguration</c> classes in the feature folders).
/// </summary>
public abstract class KilowalletDb(DbContextOptions options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<Site> Sites => Set<Site>();

    public DbSet<Area> Areas => Set<Area>();

    public DbSet<Shop> Shops => Set<Shop>();

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<Gateway> Gateways => Set<Gateway>();

    public DbSet<Meter> Meters => Set<Meter>();

    public DbSet<BalanceEventRecord> BalanceEvents => Set<BalanceEventRecord>();

    public DbSet<Alarms.AlarmRecord> Alarms => Set<Alarms.AlarmRecord>();

    public DbSet<MeterReadingRecord> Readings => Set<MeterReadingRecord>();

    public DbSet<MeterRatingState> RatingStates => Set<MeterRatingState>();

    public DbSet<UsageBucket> UsageHourly => Set<UsageBucket>();

    public DbSet<QuarantinedInterval> QuarantinedIntervals => Set<QuarantinedInterval>();

    public DbSet<RejectedReading> RejectedReadings => Set<RejectedReading>();

    public DbSet<Cashier.CashierShift> CashierShifts => Set<Cashier.CashierShift>();

    public DbSet<MeterAssignment> MeterAssignments => Set<MeterAssignment>();

    public DbSet<Payments.PaymentOrder> PaymentOrders => Set<Payments.PaymentOrder>();

    public DbSet<Tariffs.TariffPlanRecord> TariffPlans => Set<Tariffs.TariffPlanRecord>();

    public DbSet<Tariffs.TariffVersionRecord> TariffVersions => Set<Tariffs.TariffVersionRecord>();

    public DbSet<Tariffs.TariffAssignmentRecord> TariffAssignments => Set<Tariffs.TariffAssignmentRecord>();

    public DbSet<Tariffs.SiteHoliday> SiteHolidays => Set<Tariffs.SiteHoliday>();

    public DbSet<Payments.PaymentCallbackRecord> PaymentCallbacks => Set<Payments.PaymentCallbackRecord>();

    public DbSet<Payments.DemoPayTransaction> DemoPayTransactions => Set<Payments.DemoPayTransaction>();

    public DbSet<ConsumerCursor> ConsumerCursors => Set<ConsumerCursor>();

    public DbSet<Ledger.LedgerAccount> LedgerAccounts => Set<Ledger.LedgerAccount>();

    public DbSet<Ledger.LedgerEntry> LedgerEntries => Set<Ledger.LedgerEntry>();

    public DbSet<Ledger.LedgerLine> LedgerLines => Set<Ledger.LedgerLine>();

    public DbSet<Notifications.OutboxMessage> NotificationOutbox => Set<Notifications.OutboxMessage>();

    public DbSet<Notifications.TenantNotificationSettings> NotificationSettings => Set<Notifications.TenantNotificationSettings>();

    public DbSet<Notifications.WebhookSubscription> WebhookSubscriptions => Set<Notifications.WebhookSubscription>();

    public DbSet<Control.RelayCommandRecord> RelayCommands => Set<Control.RelayCommandRecord>();

    public DbSet<Control.MeterControlRecord> MeterControl => Set<Control.MeterControlRecord>();

    public DbSet<Control.KeepPowerRecord> KeepPower => Set<Control.KeepPowerRecord>();

    public DbSet<Control.SiteControlPolicy> SiteControlPolicies => Set<Control.SiteControlPolicy>();

    public DbSet<SignInCode> SignInCodes => Set<SignInCode>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<SiteId>().HaveConversion<EntityIdConverter<SiteId>>();
        configurationBuilder.Properties<AreaId>().HaveConversion<EntityIdConverter<AreaId>>();
        configurationBuilder.Properties<ShopId>().HaveConversion<EntityIdConverter<ShopId>>();
        configurationBuilder.Properties<TenantId>().HaveConversion<EntityIdConverter<TenantId>>();
        configurationBuilder.Properties<AccountId>().HaveConversion<EntityIdConverter<AccountId>>();
        configurationBuilder.Properties<MeterId>().HaveConversion<EntityIdConverter<MeterId>>();
        configurationBuilder.Properties<GatewayId>().HaveConversion<EntityIdConverter<GatewayId>>();
        configurationBuilder.Properties<decimal>().HavePrecision(18, 6);
        configurationBuilder.Properties<string>().HaveMaxLength(200);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(KilowalletDb).Assembly);

        // Nothing that records money or energy is ever deleted by a cascade.
        foreach (var foreignKey in builder.Model.GetEntityTypes().SelectMany(e => e.GetForeignKeys()))
        {
            foreignKey.DeleteBehavior = DeleteBehavior.Restrict;
        }
    }
}
