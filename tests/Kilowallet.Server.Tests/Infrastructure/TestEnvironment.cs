namespace Kilowallet.Server.Tests.Infrastructure;

/// <summary>
/// External dependencies of tests (PostgreSQL, Mosquitto, Chromium, mbpoll …): a test that needs
/// one skips on a developer machine without it, and fails where CI promised it
/// (KILOWALLET_REQUIRE_EXTERNAL=1), so CI can never pass by skipping.
/// </summary>
public static class TestEnvironment
{
    public const string PostgresVariable = "KILOWALLET_TEST_POSTGRES";

    public static bool ExternalRequired =>
        Environment.GetEnvironmentVariable("KILOWALLET_REQUIRE_EXTERNAL") is "1" or "true";

    public static string? PostgresConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Skips (locally) or fails (CI) when <paramref name="available"/> is false.</summary>
    public static void Require(bool available, string what)
    {
        if (available)
        {
            return;
        }

        if (ExternalRequired)
        {
            Assert.Fail($"{what} is required on CI (KILOWALLET_REQUIRE_EXTERNAL=1) but is not available.");
        }

        Assert.Skip($"{what} is not available on this machine.");
    }

    public static string RequirePostgres()
    {
        Require(PostgresConnectionString is not null, $"PostgreSQL (set {PostgresVariable} to an admin connection string)");
        return PostgresConnectionString!;
    }

    /// <summary>True when an executable is on the PATH.</summary>
    public static bool HasTool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
}
