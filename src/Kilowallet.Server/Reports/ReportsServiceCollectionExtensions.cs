namespace Kilowallet.Server.Reports;

public static class ReportsServiceCollectionExtensions
{
    /// <summary>The analysis, statements and tenant-portal summaries (all read-only over usage and the ledger).</summary>
    public static IServiceCollection AddKilowalletReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportService>();
        services.AddSingleton<StatementService>();
        services.AddSingleton<ConsumptionReport>();
        services.AddSingleton<TenantPortal>();
        return services;
    }
}
