namespace Kilowallet.Simulator.Load;

/// <summary>
/// Seeded, random-access noise: a hash of (seed, index) instead of a sequential generator, so the load at any
/// simulated minute is known without replaying the minutes before it (lazy meters, fast history).
/// </summary>
internal static class ValueNoise
{
    /// <summary>A uniform value in [-1, 1) for (seed, index) (SplitMix64 finaliser).</summary>
    public static double Unit(ulong seed, long index)
    {
        unchecked
        {
            var z = seed + ((ulong)index * 0x9E3779B97F4A7C15UL) + 0x632BE59BD9B4E019UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return ((z >> 11) * (1.0 / (1UL << 53)) * 2.0) - 1.0;
        }
    }

    /// <summary>Smoothed noise in [-1, 1]: random knots every <paramref name="spacing"/> units, smoothstep between them.</summary>
    public static double Smooth(ulong seed, long position, long spacing)
    {
        var knot = Math.DivRem(position, spacing, out var within);
        if (within < 0)
        {
            knot--;
            within += spacing;
        }

        var f = (double)within / spacing;
        var s = f * f * (3 - (2 * f));
        var a = Unit(seed, knot);
        var b = Unit(seed, knot + 1);
        return a + ((b - a) * s);
    }

    /// <summary>A per-purpose seed derived from a meter's seed.</summary>
    public static ulong Derive(int seed, int purpose)
    {
        unchecked
        {
            return ((ulong)(uint)seed * 0xD1B54A32D192ED03UL) ^ ((ulong)(uint)purpose * 0x8CB92BA72F3D8DD7UL);
        }
    }
}
