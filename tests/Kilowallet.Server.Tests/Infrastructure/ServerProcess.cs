using System.Diagnostics;
using System.Text;

namespace Kilowallet.Server.Tests.Infrastructure;

/// <summary>Runs the built server executable (Kilowallet.Server.dll) as a child process, as an operator would.</summary>
public static class ServerProcess
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    /// <summary>Starts the server and leaves it running; disposing the handle kills it (SIGKILL, no shutdown).</summary>
    public static Running Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var start = StartInfo(arguments, environment, workingDirectory);
        var process = Process.Start(start)!;
        return new Running(process);
    }

    /// <summary>A server process; its output is collected for failure messages.</summary>
    public sealed class Running : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly Task _readOut;
        private readonly Task _readErr;

        internal Running(Process process)
        {
            _process = process;
            _readOut = Task.Run(() => CopyAsync(process.StandardOutput));
            _readErr = Task.Run(() => CopyAsync(process.StandardError));
        }

        public bool HasExited => _process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        /// <summary>Kills the process at once (SIGKILL: no graceful stop, nothing drained or flushed) and waits for it to be gone.</summary>
        public async Task KillAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            await Task.WhenAll(_readOut, _readErr);
        }

        public async ValueTask DisposeAsync()
        {
            await KillAsync();
            _process.Dispose();
        }

        private async Task CopyAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }

    public static async Task<Outcome> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = StartInfo(arguments, environment, workingDirectory);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        var readOut = Task.Run(async () => output.Append(await process.StandardOutput.ReadToEndAsync()));
        var readErr = Task.Run(async () => error.Append(await process.StandardError.ReadToEndAsync()));
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The server did not exit within {timeout}: {output}{error}");
        }

        await Task.WhenAll(readOut, readErr);
        return new Outcome(process.ExitCode, output.ToString(), error.ToString());
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kilowallet.Server.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }
}
