using System.Diagnostics;
using System.Text;

namespace Kilowallet.Server.Tests.Infrastructure;

/// <summary>Runs the built server executable (Kilowallet.Server.dll) as a child process, as an operator would.</summary>
public static class ServerProcess
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    /// <summary>A server executable started by <see cref="Start"/>: still running until killed or exited.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        internal Running(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public bool HasExited => _process.HasExited;

        /// <summary>Everything the process wrote so far (standard output and error, interleaved).</summary>
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

        /// <summary>SIGKILL, as a power cut or the OOM killer would: no shutdown code runs. Waits until it is gone.</summary>
        public async Task KillAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>Starts the server executable (serving, or with a command) and returns at once.</summary>
    public static Running Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null) =>
        new(Process.Start(StartInfo(arguments, environment, workingDirectory))!);

    public static async Task<Outcome> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, string? workingDirectory = null)
    {
        using var process = Process.Start(StartInfo(arguments, environment, workingDirectory))!;
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
