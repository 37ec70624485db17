using Kilowallet.Server.Hosting;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Storage;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Admin;

/// <summary>
/// The services an administration command needs (configuration, logging, storage) without the web
/// server: the same appsettings.json and environment variables as the server, so a command works
/// on the database the server uses.
/// </summary>
public static class AdminHost
{
    public static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        // Commands print their results on standard output; the log (warnings and worse) goes to standard error.
        builder.Configuration.AddInMemoryCollection([new KeyValuePair<string, string?>("Logging:LogLevel:Default", "Warning")]);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddKilowalletStorage(builder.Configuration);
        builder.Services.AddMeterProfiles();
        builder.Services.AddScoped<DirectoryCsv>();
        builder.Services.AddSingleton<DatabaseBackup>();
        builder.Services.AddSingleton<Audit.AuditLog>();
        builder.Services.AddKilowalletLedger(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Runs <paramref name="action"/> with an initialized (migrated) database; turns startup problems into one line.</summary>
    public static async Task<int> RunAsync(Func<IServiceProvider, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            using var host = Build();
            await host.Services.GetRequiredService<StorageInitializer>().InitializeAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            return await action(scope.ServiceProvider, cancellationToken);
        }
        catch (Exception ex) when (ex is StartupException or OptionsValidationException)
        {
            var message = ex is OptionsValidationException validation ? string.Join(" ", validation.Failures) : ex.Message;
            await Console.Error.WriteLineAsync($"Kilowallet cannot start: {message}");
            return 2;
        }
    }
}
