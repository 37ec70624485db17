using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Kilowallet.Domain.Safety;

namespace Kilowallet.Domain.Notifications;

/// <summary>
/// The message texts, one per notification kind and language, with placeholders {shop}, {amount},
/// {balance}, {days}, {alarm}, {source}, {detail}. Money is formatted by <see cref="MoneyText"/>.
/// </summary>
public static class NotificationTemplates
{
    private static readonly FrozenDictionary<(NotificationKind, Language), MessageTemplate> Table =
        new Dictionary<(NotificationKind, Language), MessageTemplate>
        {
            [(NotificationKind.Warning1Crossed, Language.English)] = new(
                "Low electricity balance",
                "{shop}: your electricity balance is {balance}, below your reminder level. Please top up."),
            [(NotificationKind.Warning1Crossed, Language.SimplifiedChinese)] = new(
                "电费余额提醒",
                "【{shop}】电费余额为{balance}，已低于提醒金额，请及时充值。"),
            [(NotificationKind.Warning2Crossed, Language.English)] = new(
                "Electricity balance very low",
                "{shop}: only {balance} of electricity credit left. Please top up soon to avoid a power cut."),
            [(NotificationKind.Warning2Crossed, Language.SimplifiedChinese)] = new(
                "电费余额不足",
                "【{shop}】电费余额仅剩{balance}，请尽快充值，以免停电。"),
            [(NotificationKind.CreditExhausted, Language.English)] = new(
                "Electricity credit used up",
                "{shop}: your electricity credit is used up (balance {balance}). Power will be cut; please top up now."),
            [(NotificationKind.CreditExhausted, Language.SimplifiedChinese)] = new(
                "电费余额已用完",
                "【{shop}】电费余额已用完（余额{balance}），将停止供电，请立即充值。"),
            [(NotificationKind.PowerCut, Language.English)] = new(
                "Power cut",
                "{shop}: power was cut because the electricity credit is used up (balance {balance}). It is restored after a top-up."),
            [(NotificationKind.PowerCut, Language.SimplifiedChinese)] = new(
                "已停止供电",
                "【{shop}】因电费余额不足（余额{balance}）已停止供电，充值后将恢复供电。"),
            [(NotificationKind.Reconnected, Language.English)] = new(
                "Power restored",
                "{shop}: power is back on. Balance {balance}."),
            [(NotificationKind.Reconnected, Language.SimplifiedChinese)] = new(
                "已恢复供电",
                "【{shop}】已恢复供电，当前余额{balance}。"),
            [(NotificationKind.ReconnectPressButton, Language.English)] = new(
                "Press the button on your meter",
                "{shop}: balance {balance}. Press the button on your electricity meter to restore power."),
            [(NotificationKind.ReconnectPressButton, Language.SimplifiedChinese)] = new(
                "请按电表按钮合闸",
                "【{shop}】当前余额{balance}，请按电表上的按钮恢复供电。"),
            [(NotificationKind.TopUpReceived, Language.English)] = new(
                "Top-up received",
                "{shop}: top-up of {amount} received. Balance {balance}."),
            [(NotificationKind.TopUpReceived, Language.SimplifiedChinese)] = new(
                "充值成功",
                "【{shop}】充值{amount}已到账，当前余额{balance}。"),
            [(NotificationKind.PredictedExhaustion, Language.English)] = new(
                "About {days} of electricity credit left",
                "{shop}: at your use over the last 7 days, your balance of {balance} lasts about {days}. Please top up in time."),
            [(NotificationKind.PredictedExhaustion, Language.SimplifiedChinese)] = new(
                "电费余额约可用{days}天",
                "【{shop}】按近7天用电估算，余额{balance}约可使用{days}天，请及时充值。"),
            [(NotificationKind.OperatorAlarm, Language.English)] = new(
                "Alarm: {alarm}",
                "{source}: {alarm}. {detail}"),
            [(NotificationKind.OperatorAlarm, Language.SimplifiedChinese)] = new(
                "告警：{alarm}",
                "{source}：{alarm}。{detail}"),
            [(NotificationKind.SignInCode, Language.English)] = new(
                "Your Kilowallet sign-in code",
                "Your Kilowallet sign-in code is {detail}. It is valid for 10 minutes. Do not share it with anyone."),
            [(NotificationKind.SignInCode, Language.SimplifiedChinese)] = new(
                "千瓦钱包登录验证码",
                "您的千瓦钱包登录验证码为{detail}，10分钟内有效，请勿告诉他人。"),
        }.ToFrozenDictionary();

    public static MessageTemplate Template(NotificationKind kind, Language language) =>
        Table.TryGetValue((kind, language), out var template)
            ? template
            : throw new ArgumentOutOfRangeException(nameof(kind), $"No template for {kind} in {language}.");

    /// <summary>Fills the template of <paramref name="kind"/> in <paramref name="language"/>.</summary>
    /// <exception cref="ArgumentException">The template uses a value that <paramref name="values"/> leaves null.</exception>
    public static RenderedMessage Render(NotificationKind kind, Language language, TemplateValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var template = Template(kind, language);
        return new RenderedMessage(Fill(template.Title, language, values), Fill(template.Body, language, values));
    }

    /// <summary>The name of an alarm type in a message.</summary>
    public static string AlarmName(AlarmType type, Language language) => (type, language) switch
    {
        (AlarmType.Overload, Language.English) => "overload",
        (AlarmType.Overload, _) => "过载",
        (AlarmType.OverloadLockout, Language.English) => "overload lockout",
        (AlarmType.OverloadLockout, _) => "过载闭锁",
        (AlarmType.OverVoltage, Language.English) => "over-voltage",
        (AlarmType.OverVoltage, _) => "过压",
        (AlarmType.UnderVoltage, Language.English) => "under-voltage",
        (AlarmType.UnderVoltage, _) => "欠压",
        (AlarmType.PhaseLoss, Language.English) => "phase loss",
        (AlarmType.PhaseLoss, _) => "缺相",
        (AlarmType.MaliciousLoad, Language.English) => "illegal high-power appliance",
        (AlarmType.MaliciousLoad, _) => "恶性负载",
        (AlarmType.Bypass, Language.English) => "current with the relay open (bypass or tamper)",
        (AlarmType.Bypass, _) => "拉闸后仍有电流（疑似窃电）",
        (AlarmType.MeterOffline, Language.English) => "meter offline",
        (AlarmType.MeterOffline, _) => "电表离线",
        (AlarmType.GatewayOffline, Language.English) => "gateway offline",
        (AlarmType.GatewayOffline, _) => "网关离线",
        (AlarmType.RelayCommandFailed, Language.English) => "relay command failed",
        (AlarmType.RelayCommandFailed, _) => "拉合闸命令失败",
        (AlarmType.RegisterWentBackwards, Language.English) => "meter register went backwards",
        (AlarmType.RegisterWentBackwards, _) => "电表读数倒退",
        (AlarmType.ImplausibleConsumption, Language.English) => "implausible consumption",
        (AlarmType.ImplausibleConsumption, _) => "用电量异常",
        (AlarmType.ImpossibleReading, Language.English) => "impossible meter reading",
        (AlarmType.ImpossibleReading, _) => "电表数据异常",
        (AlarmType.NoTariff, Language.English) => "no tariff plan for the meter",
        (AlarmType.NoTariff, _) => "电表未设置电价",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown alarm type."),
    };

    private static string Fill(string template, Language language, TemplateValues values)
    {
        var text = new StringBuilder(template.Length + 32);
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            if (open < 0)
            {
                text.Append(template, position, template.Length - position);
                break;
            }

            var close = template.IndexOf('}', open);
            text.Append(template, position, open - position);
            var name = template[(open + 1)..close];
            text.Append(Value(name, language, values)
                ?? throw new ArgumentException($"The template needs {{{name}}}, which was not given.", nameof(values)));
            position = close + 1;
        }

        return text.ToString();
    }

    private static string? Value(string name, Language language, TemplateValues values) => name switch
    {
        "shop" => values.Shop,
        "amount" => values.Amount is { } amount ? MoneyText.Format(amount, language) : null,
        "balance" => values.Balance is { } balance ? MoneyText.Format(balance, language) : null,
        "days" => values.Days is { } days ? Days(days, language) : null,
        "alarm" => values.Alarm is { } alarm ? AlarmName(alarm, language) : null,
        "source" => values.Source,
        "detail" => values.Detail,
        _ => throw new InvalidOperationException($"Unknown placeholder {{{name}}}."),
    };

    private static string Days(int days, Language language) =>
        language == Language.English
            ? days.ToString(CultureInfo.InvariantCulture) + (days == 1 ? " day" : " days")
            : days.ToString(CultureInfo.InvariantCulture);
}
