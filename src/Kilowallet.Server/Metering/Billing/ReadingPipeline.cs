using System.Threading.Channels;

namespace Kilowallet.Server.Metering.Billing;

/// <summary>
/// The bounded queue between the producers of energy readings (pollers, MQTT) and the billing
/// writer. When it is full a producer waits (back-pressure reaches the pollers) — energy readings
/// are never dropped.
/// </summary>
public sealed class ReadingPipeline
{
    public const int Capacity = 200_000;

    private readonly Channel<MeterSample> _channel = Channel.CreateBounded<MeterSample>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public ChannelReader<MeterSample> Reader => _channel.Reader;

    public int Depth => _channel.Reader.Count;

    public ValueTask EnqueueAsync(MeterSample sample, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return _channel.Writer.WriteAsync(sample, cancellationToken);
    }
}
