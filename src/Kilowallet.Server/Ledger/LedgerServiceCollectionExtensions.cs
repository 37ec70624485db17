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
}
