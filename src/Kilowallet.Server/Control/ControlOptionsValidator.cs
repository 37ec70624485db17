using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Control;

/// <summary>Refuses control settings that cannot work, naming the setting.</summary>
public sealed class ControlOptionsValidator : IValidateOptions<ControlOptions>
{
    public ValidateOptionsResult Validate(string? name, ControlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.SweepInterval <= TimeSpan.Zero)
        {
            failures.Add("Control:SweepInterval must be more than zero.");
        }

        if (options.MinimumCommandInterval < TimeSpan.Zero)
        {
            failures.Add("Control:MinimumCommandInterval cannot be negative.");
        }

        if (options.ExchangeTimeout <= TimeSpan.Zero)
        {
            failures.Add("Control:ExchangeTimeout must be more than zero.");
        }

        try
        {
            options.RelayCommands.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            failures.Add($"Control:{ex.ParamName} is out of range ({ex.ActualValue}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
