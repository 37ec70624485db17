using System.Security.Cryptography;
using System.Text;
using Kilowallet.Server.Demo;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Auth;

/// <summary>
/// Creates the roles and, when no administrator exists, the first administrator (plus a demo
/// operator and cashier in demo mode). Generated passwords are printed once and written to a file
/// only the owner can read, so the first sign-in never needs a default password.
/// </summary>
public sealed class InitialUsers(
    IServiceProvider services,
    IOptions<AuthOptions> options,
    IOptions<DemoOptions> demo,
    IOptions<StorageOptions> storage,
    TimeProvider clock,
    ILogger<InitialUsers> logger) : IHostedService
{
    private const string Lower = "abcdefghijkmnpqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
            }
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return;
        }

        var created = new List<(string User, string Role, string Password)>();
        var settings = options.Value;
        var adminPassword = string.IsNullOrEmpty(settings.InitialAdminPassword) ? Generate() : settings.InitialAdminPassword;
        await CreateAsync(users, settings.InitialAdminUser, "Administrator", Roles.Admin, adminPassword);
        created.Add((settings.InitialAdminUser, Roles.Admin, adminPassword));
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        if (demo.Value.Enabled && await db.Sites.AnyAsync(s => s.Code == DemoPlaza.SiteCode, cancellationToken))
        {
            foreach (var (name, display, role) in new[] { ("operator", "Demo operator", Roles.Operator), ("cashier", "Demo cashier", Roles.Cashier) })
            {
                if (await users.FindByNameAsync(name) is null)
                {
                    var password = Generate();
                    await CreateAsync(users, name, display, role, password);
                    created.Add((name, role, password));
                }
            }
        }

        if (string.IsNullOrEmpty(settings.InitialAdminPassword))
        {
            await ReportAsync(created, cancellationToken);
        }
        else
        {
            logger.LogInformation("Created the first administrator '{User}' with the configured Auth:InitialAdminPassword", settings.InitialAdminUser);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CreateAsync(UserManager<AppUser> users, string name, string display, string role, string password)
    {
        var user = new AppUser { UserName = name, DisplayName = display, CreatedAt = clock.GetUtcNow(), Language = Domain.Language.English };
        Check(await users.CreateAsync(user, password), $"user {name}");
        Check(await users.AddToRoleAsync(user, role), $"role of {name}");
    }

    private async Task ReportAsync(List<(string User, string Role, string Password)> created, CancellationToken cancellationToken)
    {
        var text = new StringBuilder("Kilowallet first sign-in (change these passwords after signing in):\n");
        foreach (var (user, role, password) in created)
        {
            text.Append("  ").Append(role).Append(": user '").Append(user).Append("', password '").Append(password).Append("'\n");
        }

        var file = Path.GetFullPath(Path.Combine(storage.Value.DataDirectory, "initial-credentials.txt"));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, text.ToString(), cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            text.Append("  (also written to ").Append(file).Append(")\n");
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not write {File}", file);
        }

        await Console.Out.WriteLineAsync(text.ToString());
    }

    /// <summary>16 characters from an unambiguous alphabet, always with a lower-case letter, a capital and digits.</summary>
    private static string Generate() =>
        RandomNumberGenerator.GetString(Lower, 6) + RandomNumberGenerator.GetString(Upper, 4)
        + RandomNumberGenerator.GetString(Lower + Upper + Digits, 4) + RandomNumberGenerator.GetString(Digits, 2);

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new Hosting.StartupException($"Could not create {what}: {string.Join(" ", result.Errors.Select(e => e.Description))} (check Auth:InitialAdminPassword).");
        }
    }
}
