using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kilowallet.Browser.Tests.Portal;

/// <summary>A local SMS gateway on 127.0.0.1 and a free port: it accepts every message and keeps its body, for tests to read one-time codes from.</summary>
public sealed class SmsSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private SmsSink(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public static async Task<SmsSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new SmsSink(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            sink._bodies.Enqueue(await reader.ReadToEndAsync(context.RequestAborted));
            sink._arrived.Release();
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"code":"0"}""", context.RequestAborted);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        sink.Url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()), "/sms");
        return sink;
    }

    /// <summary>The next message's body, waiting for it to arrive (a signal, not a sleep).</summary>
    public async Task<string> NextAsync(TimeSpan timeout)
    {
        if (!await _arrived.WaitAsync(timeout, TestContext.Current.CancellationToken))
        {
            throw new TimeoutException($"No SMS within {timeout}.");
        }

        return _bodies.TryDequeue(out var body) ? body : throw new InvalidOperationException("A message was signalled but not kept.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TestContext.Current.CancellationToken);
        await _app.DisposeAsync();
        _arrived.Dispose();
    }
}
