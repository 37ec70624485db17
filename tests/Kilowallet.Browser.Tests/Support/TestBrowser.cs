using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests.Support;

/// <summary>
/// Chromium from Debian (/usr/bin/chromium, or KILOWALLET_CHROMIUM), driven by Playwright; no
/// browser download. Screenshots go to TestResults/screenshots in the test output folder and to
/// artifacts/screenshots at the repository root (kept by CI as test artifacts).
/// </summary>
public sealed class TestBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private TestBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Instance = browser;
    }

    public IBrowser Instance { get; }

    public static string ChromiumPath => Environment.GetEnvironmentVariable("KILOWALLET_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string ScreenshotFolder
    {
        get
        {
            var root = AppContext.BaseDirectory;
            var repo = root;
            while (repo is not null && !File.Exists(Path.Combine(repo, "Kilowallet.slnx")))
            {
                repo = Path.GetDirectoryName(repo);
            }

            var folder = Path.Combine(repo ?? root, "artifacts", "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public static async Task<TestBrowser> LaunchAsync()
    {
        TestEnvironment.Require(File.Exists(ChromiumPath), $"Chromium at {ChromiumPath}");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        return new TestBrowser(playwright, browser);
    }

    public async Task<IPage> NewPageAsync(Uri baseAddress, int width = 1280, int height = 900, string locale = "en-US")
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>TestResults/screenshots under the test project's output folder.</summary>
    public static string OutputScreenshotFolder
    {
        get
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>Saves a full-page screenshot as {name}.png in both screenshot folders; returns the output folder's file.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(OutputScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        File.Copy(path, Path.Combine(ScreenshotFolder, name + ".png"), overwrite: true);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Instance.DisposeAsync();
        _playwright.Dispose();
    }
}
