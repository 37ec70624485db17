namespace Kilowallet.Simulator.Tests.Infrastructure;

/// <summary>
/// The one rule for tests that need a program no one here wrote (mbpoll, socat, pymodbus): they skip when
/// it is missing, unless KILOWALLET_REQUIRE_EXTERNAL=1 (CI), where a missing tool is a failure.
/// </summary>
internal static class ExternalTools
{
    public const string Python = "/usr/bin/python3";

    public static bool Required => Environment.GetEnvironmentVariable("KILOWALLET_REQUIRE_EXTERNAL") == "1";

    /// <summary>The full path of <paramref name="tool"/> on PATH (or as given), or skip/fail.</summary>
    public static string Require(string tool)
    {
        var path = Find(tool);
        if (path is not null)
        {
            return path;
        }

        return Missing($"{tool} is not installed");
    }

    /// <summary>/usr/bin/python3 with pymodbus importable, or skip/fail.</summary>
    public static async Task<string> RequirePymodbusAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Python))
        {
            return Missing($"{Python} is not installed");
        }

        await using var check = ToolProcess.Start(Python, ["-c", "import pymodbus, serial"]);
        var exit = await check.WaitForExitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        return exit == 0 ? Python : Missing("python3-pymodbus (with pyserial) is not installed for /usr/bin/python3");
    }

    public static string Missing(string reason)
    {
        if (Required)
        {
            Assert.Fail(reason + " and KILOWALLET_REQUIRE_EXTERNAL=1");
        }

        Assert.Skip(reason);
        return string.Empty;
    }

    private static string? Find(string tool)
    {
        if (Path.IsPathRooted(tool))
        {
            return File.Exists(tool) ? tool : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
