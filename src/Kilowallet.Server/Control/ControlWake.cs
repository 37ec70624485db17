using Kilowallet.Domain;

namespace Kilowallet.Server.Control;

/// <summary>
/// Tells the control loop to decide again now for particular meters (a safety hold changed, an operator
/// locked a relay, an exemption was granted) or for all of them (a site's friendly hours changed).
/// Raises coalesce until the loop takes them.
/// </summary>
public sealed class ControlWake
{
    private readonly Lock _gate = new();
    private readonly HashSet<MeterId> _meters = [];
    private bool _all;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Raise(MeterId meter)
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            _meters.Add(meter);
            wake = _next;
        }

        wake.TrySetResult();
    }

    public void RaiseAll()
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            _all = true;
            wake = _next;
        }

        wake.TrySetResult();
    }

    /// <summary>Completes when something was raised since the last <see cref="Take"/>.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _all || _meters.Count > 0 ? Task.CompletedTask : _next.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>What was raised, cleared for the next round.</summary>
    public (bool All, IReadOnlyCollection<MeterId> Meters) Take()
    {
        lock (_gate)
        {
            var taken = (_all, (IReadOnlyCollection<MeterId>)[.. _meters]);
            _all = false;
            _meters.Clear();
            if (_next.Task.IsCompleted)
            {
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return taken;
        }
    }
}
