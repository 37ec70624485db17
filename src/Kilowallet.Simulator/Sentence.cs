namespace Kilowallet.Simulator;

/// <summary>The sentence of a refusal, for people: the message without the " (Parameter 'x')" suffix, which it already names.</summary>
internal static class Sentence
{
    public static string Of(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
    }
}
