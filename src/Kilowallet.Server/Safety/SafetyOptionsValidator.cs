using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Safety;

/// <summary>Refuses safety settings that cannot work, naming the setting.</summary>
public sealed class SafetyOptionsValidator : IValidateOptions<SafetyOptions>
{
    public ValidateOptionsResult Validate(string? name, SafetyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Positive(TimeSpan value, string setting)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"Safety:{setting} must be more than zero.");
            }
        }

        void NotNegative(TimeSpan value, string setting)
        {
            if (value < TimeSpan.Zero)
            {
                failures.Add($"Safety:{setting} cannot be negative.");
            }
        }

        NotNegative(options.Overload.PickupDelay, "Overload:PickupDelay");
        NotNegative(options.Overload.RecloseDelay, "Overload:RecloseDelay");
        Positive(options.Overload.RecloseWindow, "Overload:RecloseWindow");
        if (options.Overload.MaxRecloses < 0)
        {
            failures.Add("Safety:Overload:MaxRecloses cannot be negative.");
        }

        if (options.PhaseCurrentLimitA is <= 0)
        {
            failures.Add("Safety:PhaseCurrentLimitA must be more than zero when set.");
        }

        if (options.Voltage.NominalV <= 0 || options.Voltage.OverFraction <= 0 || options.Voltage.UnderFraction <= 0 || options.Voltage.UnderFraction >= 1)
        {
            failures.Add("Safety:Voltage needs a positive NominalV and OverFraction/UnderFraction between 0 and 1.");
        }

        NotNegative(options.Voltage.RaiseAfter, "Voltage:RaiseAfter");
        NotNegative(options.Voltage.ClearAfter, "Voltage:ClearAfter");
        if (options.MaliciousLoad.StepThresholdKw <= 0 || options.MaliciousLoad.ResistivePowerFactor is <= 0 or > 1)
        {
            failures.Add("Safety:MaliciousLoad needs a positive StepThresholdKw and a ResistivePowerFactor in (0, 1].");
        }

        Positive(options.MaliciousLoad.MaxSampleGap, "MaliciousLoad:MaxSampleGap");
        NotNegative(options.Bypass.RaiseAfter, "Bypass:RaiseAfter");
        NotNegative(options.Bypass.ClearAfter, "Bypass:ClearAfter");
        Positive(options.TickInterval, "TickInterval");
        Positive(options.OfflineCheckInterval, "OfflineCheckInterval");
        Positive(options.MqttSilenceToOffline, "MqttSilenceToOffline");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
