using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Kilowallet.Server.Metering.Billing;

namespace Kilowallet.Server.Metrics;

/// <summary>
/// Operational figures, exposed at /metrics in the Prometheus text format: readings ingested, rated
/// and rejected, billing batch latency and lag, queue depth, poll results and latency per gateway,
/// relay commands, notifications.
/// </summary>
public sealed class KilowalletMetrics
{
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<double>> _gauges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _help = new(StringComparer.Ordinal);

    public void Count(string name, long by = 1, string? labels = null, string? help = null)
    {
        Describe(name, help);
        _counters.AddOrUpdate(Key(name, labels), by, (_, v) => v + by);
    }

    public void Set(string name, double value, string? labels = null, string? help = null)
    {
        Describe(name, help);
        _values[Key(name, labels)] = value;
    }

    public void Gauge(string name, Func<double> read, string? help = null)
    {
        Describe(name, help);
        _gauges[name] = read;
    }

    public void RecordBatch(BatchOutcome outcome, TimeSpan took, TimeSpan lag)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Count("kilowallet_readings_stored_total", outcome.Stored, help: "Energy readings stored.");
        Count("kilowallet_readings_duplicate_total", outcome.Duplicates, help: "Readings received again (redelivery, retry) and ignored.");
        Count("kilowallet_readings_rated_total", outcome.Rated, help: "Reading intervals rated and accrued.");
        Count("kilowallet_readings_out_of_order_total", outcome.Ignored, help: "Readings older than the last rated one (stored, not billed).");
        Count("kilowallet_intervals_quarantined_total", outcome.Quarantined, help: "Intervals not billed (register backwards, implausible jump, no tariff).");
        Count("kilowallet_readings_rejected_total", outcome.Rejected, help: "Readings with impossible values, never stored as truth.");
        Count("kilowallet_billing_batches_total", help: "Billing transactions committed.");
        Set("kilowallet_billing_batch_seconds", took.TotalSeconds, help: "Duration of the last billing batch.");
        Set("kilowallet_billing_lag_seconds", Math.Max(0, lag.TotalSeconds), help: "Age of the newest reading when its batch committed.");
    }

    public long Counter(string name, string? labels = null) => _counters.GetValueOrDefault(Key(name, labels));

    public string Render()
    {
        var text = new StringBuilder();
        var all = _counters.Select(c => (c.Key, Value: (double)c.Value, Type: "counter"))
            .Concat(_values.Select(v => (v.Key, v.Value, Type: "gauge")))
            .Concat(_gauges.Select(g => (g.Key, Value: g.Value(), Type: "gauge")))
            .GroupBy(x => x.Key.Split('{')[0])
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var family in all)
        {
            if (_help.TryGetValue(family.Key, out var help))
            {
                text.Append("# HELP ").Append(family.Key).Append(' ').Append(help).Append('\n');
            }

            text.Append("# TYPE ").Append(family.Key).Append(' ').Append(family.First().Type).Append('\n');
            foreach (var (key, value, _) in family.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                text.Append(key).Append(' ').Append(value.ToString("G17", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return text.ToString();
    }

    private void Describe(string name, string? help)
    {
        if (help is not null)
        {
            _help.TryAdd(name, help);
        }
    }

    private static string Key(string name, string? labels) => labels is null ? name : name + "{" + labels + "}";
}
