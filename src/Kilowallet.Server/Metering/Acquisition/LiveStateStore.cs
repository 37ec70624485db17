using System.Collections.Concurrent;
using System.Threading.Channels;
using Kilowallet.Domain;
using Kilowallet.Domain.Safety;

namespace Kilowallet.Server.Metering.Acquisition;

/// <summary>
/// The latest state of every meter, in memory: what the overview and the meter page show live and
/// what safety detection watches. Readers subscribe to changes (bounded, drop-oldest: a slow browser
/// never slows acquisition). Which meters are being watched decides who gets fast live polls.
/// </summary>
public sealed class LiveStateStore(TimeProvider clock)
{
    private readonly ConcurrentDictionary<MeterId, MeterLiveState> _states = new();
    private readonly ConcurrentDictionary<MeterId, DateTimeOffset> _watched = new();
    private readonly ConcurrentDictionary<Channel<MeterLiveState>, byte> _subscribers = new();

    public MeterLiveState Get(MeterId meter) => _states.GetValueOrDefault(meter) ?? MeterLiveState.Unknown(meter);

    public IReadOnlyCollection<MeterLiveState> All => _states.Values.ToList();

    /// <summary>Records a sample (energy reading or live values) from a meter that answered.</summary>
    public MeterLiveState Observe(MeterSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var updated = _states.AddOrUpdate(
            sample.Meter,
            _ => Merge(MeterLiveState.Unknown(sample.Meter), sample),
            (_, old) => Merge(old, sample));
        Publish(updated);
        return updated;
    }

    /// <summary>Records a change of a meter's link status (online/offline) or its last failure.</summary>
    public void SetLink(MeterId meter, LinkStatus status, DateTimeOffset? lastHeardAt, string? failure)
    {
        var updated = _states.AddOrUpdate(
            meter,
            id => MeterLiveState.Unknown(id) with { Link = status, LastHeardAt = lastHeardAt, LastFailure = failure },
            (_, old) => old with { Link = status, LastHeardAt = lastHeardAt ?? old.LastHeardAt, LastFailure = failure });
        Publish(updated);
    }

    /// <summary>Asks for fast live polls of <paramref name="meter"/> for a while (a detail page is open).</summary>
    public void Watch(MeterId meter, TimeSpan howLong) => _watched[meter] = clock.GetUtcNow() + howLong;

    public bool IsWatched(MeterId meter) => _watched.TryGetValue(meter, out var until) && until > clock.GetUtcNow();

    /// <summary>A stream of state changes for one reader; dispose the subscription to stop.</summary>
    public Subscription Subscribe(int capacity = 1_000)
    {
        var channel = Channel.CreateBounded<MeterLiveState>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _subscribers[channel] = 0;
        return new Subscription(channel, () => _subscribers.TryRemove(channel, out _));
    }

    private void Publish(MeterLiveState state)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Writer.TryWrite(state);
        }
    }

    private static MeterLiveState Merge(MeterLiveState old, MeterSample sample) => old with
    {
        At = sample.At,
        Live = sample.Live,
        Relay = sample.Relay,
        AlarmFlags = sample.AlarmFlags,
        Link = LinkStatus.Online,
        LastHeardAt = sample.At,
        LastFailure = null,
        EnergyWh = sample.EnergyWh ?? old.EnergyWh,
        EnergyAt = sample.EnergyWh is null ? old.EnergyAt : sample.At,
    };

    /// <summary>A reader's stream of changes.</summary>
    public sealed class Subscription(Channel<MeterLiveState> channel, Action unsubscribe) : IDisposable
    {
        public ChannelReader<MeterLiveState> Reader => channel.Reader;

        public void Dispose()
        {
            unsubscribe();
            channel.Writer.TryComplete();
        }
    }
}
