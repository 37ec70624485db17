using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Reading;

/// <summary>Executes a profile's relay command and reads the relay state back.</summary>
public static class RelayCommander
{
    public static async Task<RelayCommandResult> ExecuteAsync(ModbusMaster master, byte unit, MeterProfile profile, RelayAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Modbus is not { } map || !map.RelayCommands.TryGetValue(action, out var command))
        {
            return new RelayCommandResult(ExchangeStatus.NotSupported, RelayState.Unknown, $"profile {profile.Name} has no Modbus {action} command");
        }

        var written = command.Function == ModbusFunction.WriteSingleCoil
            ? await master.WriteSingleCoilAsync(unit, command.Address, command.Value != 0, cancellationToken)
            : await master.WriteSingleRegisterAsync(unit, command.Address, command.Value, cancellationToken);
        if (!written.IsSuccess)
        {
            return new RelayCommandResult(written.Status, RelayState.Unknown, written.Describe());
        }

        if (map.RelayState is not { } state)
        {
            return new RelayCommandResult(ExchangeStatus.Success, RelayState.Unknown, "no relay state in the profile to read back");
        }

        var (readBack, error) = await MeterReader.ReadRelayAsync(master, unit, state, cancellationToken);
        return new RelayCommandResult(ExchangeStatus.Success, readBack, error);
    }

    public static async Task<RelayCommandResult> ExecuteAsync(Dlt645Master master, Dlt645Address address, MeterProfile profile, RelayAction action, DateTime? validUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Dlt645 is not { } map || !map.RelayCommands.TryGetValue(action, out var command))
        {
            return new RelayCommandResult(ExchangeStatus.NotSupported, RelayState.Unknown, $"profile {profile.Name} has no DL/T 645 {action} command");
        }

        var sent = await master.RelayControlAsync(address, command, validUntil, cancellationToken);
        if (!sent.IsSuccess)
        {
            return new RelayCommandResult(sent.Status, RelayState.Unknown, sent.Describe());
        }

        if (map.RelayState is not { } state)
        {
            return new RelayCommandResult(ExchangeStatus.Success, RelayState.Unknown, "no relay state in the profile to read back");
        }

        var word = await master.ReadValueAsync(address, state.Identifier, Dlt645DataFormat.StatusWord, cancellationToken);
        return word.IsSuccess
            ? new RelayCommandResult(ExchangeStatus.Success, state.Interpret((ushort)word.Value), null)
            : new RelayCommandResult(ExchangeStatus.Success, RelayState.Unknown, word.Describe());
    }
}
