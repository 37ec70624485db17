using System.Globalization;

namespace Kilowallet.Bench;

/// <summary>Prints each figure on its own line as "RESULT &lt;scenario&gt;.&lt;figure&gt; &lt;value&gt; &lt;unit&gt;".</summary>
internal sealed class Report(string scenario)
{
    public void Result(string figure, double value, string unit)
    {
        var text = Math.Abs(value) >= 100 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
        Console.WriteLine($"RESULT {scenario}.{figure} {text} {unit}");
    }

    public static void Note(string text) => Console.WriteLine($"# {text}");
}
