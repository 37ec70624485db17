using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kilowallet.Server.Tests.Notifications;

/// <summary>
/// A real HTTP server on 127.0.0.1 and a free port, standing in for an SMS gateway or an
/// integrator's webhook endpoint: it records every request, and can answer with an error or not
/// answer at all, to simulate an outage.
/// </summary>
public sealed class HttpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<Recorded> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HttpSink(WebApplication app)
    {
        _app = app;
    }

    public sealed record Recorded(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredStatus);

    public enum Mode
    {
        Accept,
        Fail,
        Hang,
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the next requests get: 200 with <see cref="ResponseBody"/>, a 500, or no answer until the caller gives up.</summary>
    public Mode Behaviour { get; set; } = Mode.Accept;

    public string ResponseBody { get; set; } = """{"code":"0","message":"accepted"}""";

    public IReadOnlyList<Recorded> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<HttpSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new HttpSink(app);
        app.Run(sink.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        sink.BaseAddress = new Uri(address);
        return sink;
    }

    public Uri Url(string path) => new(BaseAddress, path);

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived (a signal, not a sleep).</summary>
    public async Task<IReadOnlyList<Recorded>> WaitForAsync(int count, TimeSpan timeout)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_requests.Count >= count)
                {
                    return [.. _requests];
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Requests.Count} of {count} requests arrived within {timeout}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var behaviour = Behaviour;
        var status = behaviour switch
        {
            Mode.Accept => StatusCodes.Status200OK,
            Mode.Fail => StatusCodes.Status500InternalServerError,
            _ => 0,
        };
        Record(new Recorded(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            status));
        switch (behaviour)
        {
            case Mode.Accept:
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(ResponseBody, context.RequestAborted);
                break;
            case Mode.Fail:
                context.Response.StatusCode = status;
                await context.Response.WriteAsync("gateway unavailable", context.RequestAborted);
                break;
            default:
                using (var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, hang.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        context.Abort();
                    }
                }

                break;
        }
    }

    private void Record(Recorded request)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _requests.Add(request);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
