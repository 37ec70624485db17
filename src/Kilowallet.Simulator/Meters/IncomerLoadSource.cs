using Kilowallet.Simulator.Load;

namespace Kilowallet.Simulator.Meters;

/// <summary>
/// The master incomer's load: the sum of what every other meter of the mall measures (primary side, relays and
/// faults included), plus line losses, divided by the incomer's CT ratio. Before each advance it brings the
/// sub-meters up to the same instant and replays their power-state changes, cutting its own pieces at them, so
/// its energy is exactly the integral of the sum (within milliwatt rounding per minute). The feeds' base load of
/// recent minutes is taken from what they just integrated rather than computed again.
/// </summary>
internal sealed class IncomerLoadSource : ILoadSource
{
    private readonly VirtualMeter[] _feeds;
    private readonly double[] _scale;
    private readonly FeedChange[][] _changes;
    private readonly int[] _cursor;
    private readonly LoadSample[][] _recentSamples;
    private readonly long[][] _recentMinutes;
    private long[] _changeInstants = [];
    private int _changeCursor;

    public IncomerLoadSource(IReadOnlyList<VirtualMeter> feeds, double incomerCtRatio, double lineLossFraction)
    {
        _feeds = [.. feeds];
        _scale = [.. feeds.Select(f => (double)f.Definition.CtRatio / incomerCtRatio * (1.0 + lineLossFraction))];
        _changes = new FeedChange[_feeds.Length][];
        _cursor = new int[_feeds.Length];
        _recentSamples = [.. _feeds.Select(_ => new LoadSample[VirtualMeter.RecentMinutes])];
        _recentMinutes = [.. _feeds.Select(_ => new long[VirtualMeter.RecentMinutes])];
        foreach (var feed in _feeds)
        {
            feed.EnableFeedLog();
        }
    }

    /// <summary>Brings every feed to <paramref name="toTicks"/> and takes the states they had from <paramref name="fromTicks"/> on.</summary>
    public void Prepare(long fromTicks, long toTicks)
    {
        for (var i = 0; i < _feeds.Length; i++)
        {
            _feeds[i].AdvanceTo(toTicks);
            _changes[i] = _feeds[i].FeedSince(fromTicks, _recentSamples[i], _recentMinutes[i]);
            _cursor[i] = 0;
        }

        _changeInstants = [.. _changes.SelectMany(c => c.Skip(1)).Select(c => c.AtTicks).Distinct().Order()];
        _changeCursor = 0;
    }

    public void Finish(long toTicks)
    {
        foreach (var feed in _feeds)
        {
            feed.TrimFeed(toTicks);
        }
    }

    public long PieceEnd(long utcTicks)
    {
        var end = ((utcTicks / TimeSpan.TicksPerMinute) + 1) * TimeSpan.TicksPerMinute;
        while (_changeCursor < _changeInstants.Length && _changeInstants[_changeCursor] <= utcTicks)
        {
            _changeCursor++;
        }

        return _changeCursor < _changeInstants.Length ? Math.Min(end, _changeInstants[_changeCursor]) : end;
    }

    public LoadSample Sample(long utcTicks)
    {
        double p = 0, q = 0;
        for (var i = 0; i < _feeds.Length; i++)
        {
            var state = _changes[i][Seek(i, utcTicks)].State;
            var minute = utcTicks / TimeSpan.TicksPerMinute;
            var slot = (int)(minute & (VirtualMeter.RecentMinutes - 1));
            var baseLoad = _recentMinutes[i][slot] == minute ? _recentSamples[i][slot] : _feeds[i].LoadSource.Sample(utcTicks);
            var sample = _feeds[i].FeedSample(baseLoad, state);
            p += sample.Milliwatts * _scale[i];
            q += sample.ReactiveMillivars * _scale[i];
        }

        return new LoadSample((long)Math.Round(p), q);
    }

    /// <summary>Index of the change in effect at <paramref name="ticks"/> (moves forward as time does).</summary>
    private int Seek(int feed, long ticks)
    {
        var changes = _changes[feed];
        var c = _cursor[feed];
        while (c + 1 < changes.Length && changes[c + 1].AtTicks <= ticks)
        {
            c++;
        }

        while (c > 0 && changes[c].AtTicks > ticks)
        {
            c--;
        }

        _cursor[feed] = c;
        return c;
    }
}
