using Kilowallet.Server.Tests.Infrastructure;

namespace Kilowallet.Server.Tests.Hosting;

/// <summary>
/// A bad setting or environment stops the server with one sentence naming the setting (exit code 2),
/// not a stack trace. These run the real executable as a child process.
/// </summary>
public sealed class StartupFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Storage:Provider", "oracle", "Storage:Provider must be sqlite or postgres, not 'oracle'." },
        { "Storage:DataDirectory", "/proc/kilowallet-cannot-write-here", "Storage:DataDirectory '/proc/kilowallet-cannot-write-here' is not writable" },
        { "Storage:CommandTimeoutSeconds", "0", "Storage:CommandTimeoutSeconds must be between 1 and 3600." },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_is_refused_with_one_sentence_naming_it(string key, string value, string expected)
    {
        var outcome = await ServerProcess.RunAsync(["--urls", "http://127.0.0.1:0", "--no-demo"], new Dictionary<string, string?> { [key] = value }, Timeout);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains($"Kilowallet cannot start: {expected}", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_postgres_connection_string_is_named()
    {
        var outcome = await ServerProcess.RunAsync(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?> { ["Storage:Provider"] = "postgres" }, Timeout);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("Storage:ConnectionString is required when Storage:Provider is postgres", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_postgres_is_named()
    {
        var outcome = await ServerProcess.RunAsync(
            ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "postgres",
                ["Storage:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=kilowallet;Username=kw;Password=kw;Timeout=3",
            },
            Timeout);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("Kilowallet cannot start: Storage:ConnectionString: cannot connect to PostgreSQL database 'kilowallet' at 127.0.0.1:1", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
    }
}
