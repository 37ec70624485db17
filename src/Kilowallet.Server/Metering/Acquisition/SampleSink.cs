using System.Threading.Channels;
using Kilowallet.Server.Metering.Billing;

namespace Kilowallet.Server.Metering.Acquisition;

/// <summary>
/// Where every sample from a poll or an MQTT message goes: the live state (always), the billing
/// queue (energy readings; waits when the queue is full, never drops one) and the safety monitor's
/// queue (live values; bounded, drops the oldest when safety falls behind).
/// </summary>
public sealed class SampleSink(LiveStateStore live, ReadingPipeline billing)
{
    private readonly Channel<MeterSample> _safety = Channel.CreateBounded<MeterSample>(new BoundedChannelOptions(50_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    /// <summary>Live samples for safety detection (overload, malicious load, voltage, bypass).</summary>
    public ChannelReader<MeterSample> SafetyReader => _safety.Reader;

    public async ValueTask AcceptAsync(MeterSample sample, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sample);
        live.Observe(sample);
        _safety.Writer.TryWrite(sample);
        if (sample.IsEnergyReading)
        {
            await billing.EnqueueAsync(sample, cancellationToken);
        }
    }
}
