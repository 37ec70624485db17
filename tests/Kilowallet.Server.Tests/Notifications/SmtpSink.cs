using System.Buffers;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Kilowallet.Server.Tests.Notifications;

/// <summary>A real SMTP server (the SmtpServer package) on 127.0.0.1 and a free port that keeps every message it receives.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Store _store = new();
    private Task _running = Task.CompletedTask;

    private SmtpSink(SmtpServer.SmtpServer server)
    {
        _server = server;
    }

    public int Port { get; private set; }

    public IReadOnlyList<MimeMessage> Messages => _store.Messages;

    public static async Task<SmtpSink> StartAsync()
    {
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        var services = new ServiceProvider();
        services.Add(listeners);
        var sink = new SmtpSink(new SmtpServer.SmtpServer(options, services));
        services.Add(sink._store);
        sink._running = sink._server.StartAsync(sink._stop.Token);
        sink.Port = await started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        return sink;
    }

    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan timeout)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(timeout);
        try
        {
            return await _store.WaitForAsync(count, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Messages.Count} of {count} emails arrived within {timeout}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // Stopped by cancellation, as asked.
        }

        _stop.Dispose();
    }

    private sealed class Store : MessageStore
    {
        private readonly Lock _lock = new();
        private readonly List<MimeMessage> _messages = [];
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<MimeMessage> Messages
        {
            get
            {
                lock (_lock)
                {
                    return [.. _messages];
                }
            }
        }

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            TaskCompletionSource changed;
            lock (_lock)
            {
                _messages.Add(message);
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
            return SmtpResponse.Ok;
        }

        public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, CancellationToken cancellationToken)
        {
            while (true)
            {
                Task changed;
                lock (_lock)
                {
                    if (_messages.Count >= count)
                    {
                        return [.. _messages];
                    }

                    changed = _changed.Task;
                }

                await changed.WaitAsync(cancellationToken);
            }
        }
    }
}
