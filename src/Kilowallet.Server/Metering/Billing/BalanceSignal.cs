namespace Kilowallet.Server.Metering.Billing;

/// <summary>
/// Wakes the control loop as soon as a committed transaction may have moved a balance across a
/// threshold, so a relay reacts within a second instead of at the next periodic pass. The events
/// themselves are read from the database; the signal only says "look now". Raises coalesce.
/// </summary>
public sealed class BalanceSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _raised;

    public void Raise()
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            _raised = true;
            wake = _next;
        }

        wake.TrySetResult();
    }

    /// <summary>Waits until raised (or <paramref name="timeout"/> passes); true when raised. Consumes the signal.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        Task wait;
        lock (_gate)
        {
            if (_raised)
            {
                _raised = false;
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return true;
            }

            wait = _next.Task;
        }

        try
        {
            await wait.WaitAsync(timeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
        }

        lock (_gate)
        {
            _raised = false;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return true;
    }
}
