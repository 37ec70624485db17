namespace Kilowallet.Domain.Tariffs;

/// <summary>a × b ÷ c on non-negative 64-bit integers without overflow: in 64 bits when the product fits, else in 128.</summary>
internal static class WideMath
{
    public static long MultiplyDivide(long a, long b, long c, out long remainder)
    {
        var high = Math.BigMul(a, b, out var low);
        if (high == 0 && low >= 0)
        {
            return Math.DivRem(low, c, out remainder);
        }

        var (quotient, rest) = Int128.DivRem((Int128)a * b, c);
        remainder = (long)rest;
        return checked((long)quotient);
    }

    public static long MultiplyDivide(long a, long b, long c) => MultiplyDivide(a, b, c, out _);
}
