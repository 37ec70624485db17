using System.Text.Json.Serialization;
using Kilowallet.Server.Api;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Control;
using Kilowallet.Server.Demo;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Reports;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Web;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Hosting;

/// <summary>Builds and runs the web host.</summary>
public static class ServerHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            await using var app = Build(args);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is not HostAbortedException and not OperationCanceledException)
        {
            return Fail(ex);
        }
    }

    /// <summary>Builds the application; the flags --no-demo and --urls are understood here.</summary>
    public static WebApplication Build(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var noDemo = args.Contains("--no-demo", StringComparer.Ordinal);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.Where(a => a != "--no-demo").ToArray(),

            // appsettings.json sits beside the executable; relative data paths resolve from the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (noDemo)
        {
            builder.Configuration.AddInMemoryCollection([new KeyValuePair<string, string?>("Demo:Enabled", "false")]);
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        ConfigureServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        ConfigurePipeline(app);
        return app;
    }

    public static void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        // Hosting the simulator, the server runs on the simulator's clock (accelerated when Simulator:Speed > 1).
        var simulation = configuration.GetSection(Simulation.SimulationOptions.Section).Get<Simulation.SimulationOptions>() ?? new Simulation.SimulationOptions();
        var simulate = simulation.Enabled ?? (configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions()).Enabled;
        if (simulate)
        {
            if (simulation.Speed is <= 0 or > 100_000 || double.IsNaN(simulation.Speed))
            {
                throw new StartupException($"Simulator:Speed must be more than 0 and at most 100000 (was {simulation.Speed}).");
            }

            services.AddSingleton<TimeProvider>(Kilowallet.Simulator.Clock.SimulationClock.StartingNow(TimeProvider.System, simulation.Speed));
        }
        else
        {
            services.AddSingleton(TimeProvider.System);
        }

        services.AddKilowalletStorage(configuration);
        services.AddKilowalletDemo(configuration);
        services.AddKilowalletAuth(configuration);
        services.AddTenantSignIn();
        services.AddSingleton<Audit.AuditLog>();
        services.AddKilowalletLedger(configuration);
        services.AddKilowalletPayments(configuration);
        services.AddKilowalletMetering(configuration);
        services.AddKilowalletAcquisition();
        services.AddOptions<Simulation.SimulationOptions>().Bind(configuration.GetSection(Simulation.SimulationOptions.Section));
        if (simulate)
        {
            services.AddSingleton<Simulation.SimulationHost>();
            services.AddHostedService(sp => sp.GetRequiredService<Simulation.SimulationHost>());
            services.AddSingleton<Kilowallet.Simulator.ISimulationControl>(sp => sp.GetRequiredService<Simulation.SimulationHost>().Control
                ?? throw new InvalidOperationException("The simulator has no meters to control."));
        }
        services.AddSingleton<Tariffs.TariffCatalog>();
        services.AddSingleton<Tariffs.Rerater>();
        services.AddSingleton<Tariffs.TariffService>();
        services.AddKilowalletNotifications(configuration);
        services.AddSingleton<Alarms.AlarmService>();
        services.AddScoped<Overview.MallStatus>();
        services.AddScoped<Cashier.CashierDesk>();
        services.AddScoped<Accounts.AccountFinder>();
        services.AddScoped<Alarms.AlarmQuery>();
        services.AddScoped<Accounts.MeterAssignments>();
        services.AddKilowalletControl(configuration);
        services.AddKilowalletWeb();
        services.AddKilowalletReports();
        services.AddProblemDetails();
        services.AddKilowalletApiReference();

        // Pages and JSON travel compressed (a 2,000-shop overview is ~830 KiB of HTML, a phone portal pays per byte).
        services.AddResponseCompression(compression => compression.EnableForHttps = true);
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
    }

    public static void ConfigurePipeline(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseResponseCompression();
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.UseStaticFiles();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<Auth.CookieApiAntiforgery>();
        app.MapHealthChecks("/health");
        app.MapGet("/alive", () => TypedResults.Text("alive")).ExcludeFromDescription();
        app.MapGet("/metrics", (Metrics.KilowalletMetrics metrics) => TypedResults.Text(metrics.Render(), "text/plain; version=0.0.4")).ExcludeFromDescription();
        app.MapKilowalletWeb();
        app.MapKilowalletApiReference();
        var api = app.MapGroup("/api/v1");
        Auth.AuthEndpoints.Map(api);
        Auth.TenantSignInEndpoints.Map(api);
        Sites.SiteEndpoints.Map(api);
        Tenants.TenantEndpoints.Map(api);
        Accounts.AccountEndpoints.Map(api);
        Accounts.MoneyEndpoints.Map(api);
        Payments.PaymentEndpoints.Map(api);
        Tariffs.TariffEndpoints.Map(api);
        Tariffs.RerateEndpoints.Map(api);
        Alarms.AlarmEndpoints.Map(api);
        Overview.OverviewEndpoints.Map(api);
        Cashier.CashierEndpoints.Map(api);
        if (app.Services.GetService<Simulation.SimulationHost>() is not null)
        {
            Kilowallet.Simulator.Control.SimulationControlApi.Map(api.MapGroup("/simulator").WithTags("Simulator").RequireAuthorization(Auth.Policies.Operate));
        }
        Metering.MeterEndpoints.Map(api);
        Metering.QuarantineEndpoints.Map(api);
        Metering.ReadingEndpoints.Map(api);
        Metering.CommissioningEndpoints.Map(api);
        Control.ControlEndpoints.Map(api);
        Safety.SafetyEndpoints.Map(api);
        Reports.ReportEndpoints.Map(api);
        api.MapKilowalletNotifications();
    }

    /// <summary>
    /// Explains a failed start in one sentence. Configuration and environment problems name the
    /// setting; anything else is a bug and keeps its stack trace.
    /// </summary>
    private static int Fail(Exception ex)
    {
        var message = ex switch
        {
            OptionsValidationException validation => string.Join(" ", validation.Failures),
            StartupException startup => startup.Message,
            IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } =>
                $"Urls: the address is already in use ({ex.Message.TrimEnd('.')}); choose another with --urls.",
            _ => ex.ToString(),
        };
        Console.Error.WriteLine($"Kilowallet cannot start: {message}");
        return 2;
    }
}
