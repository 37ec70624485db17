using Kilowallet.Server.Accounts;
using Kilowallet.Server.Payments;

namespace Kilowallet.Server.Ledger;

public static class LedgerServiceCollectionExtensions
{
    /// <summary>The ledger, balances and money operations.</summary>
    public static IServiceCollection AddKilowalletLedger(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentOptions>().Bind(configuration.GetSection(PaymentOptions.Section)).ValidateOnStart();
        services.AddSingleton<LedgerWriter>();
        services.AddSingleton<BalanceService>();
        services.AddSingleton<LedgerVerifier>();
        services.AddSingleton<AccountMoney>();
        return services;
    }

    /// <summary>Online payments: providers (the demo provider when enabled), orders, callbacks, reconciliation.</summary>
    public static IServiceCollection AddKilowalletPayments(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(PaymentOptions.Section).Get<PaymentOptions>() ?? new PaymentOptions();
        services.AddHttpClient();
        if (options.DemoPayEnabled)
        {
            services.AddSingleton<DemoPayProvider>();
            services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<DemoPayProvider>());
            services.AddSingleton<DemoPayCashier>();
        }

        services.AddSingleton<PaymentService>();
        services.AddSingleton<PaymentReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<PaymentReconciler>());
        return services;
    }
}
