using Kilowallet.Domain.Notifications;
using Kilowallet.Domain.Safety;

namespace Kilowallet.Domain.Tests.Notifications;

public sealed class NotificationTemplatesTests
{
    private static readonly TemplateValues Everything = new()
    {
        Shop = "1F-012 Tea House",
        Amount = Money.Yuan(200m),
        Balance = Money.Yuan(1234.5m),
        Days = 2,
        Alarm = AlarmType.PhaseLoss,
        Source = "Meter 1F-012",
        Detail = "L2 0.0 V",
    };

    public static TheoryData<NotificationKind, Language> EveryKindAndLanguage()
    {
        var data = new TheoryData<NotificationKind, Language>();
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            foreach (var language in Enum.GetValues<Language>())
            {
                data.Add(kind, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindAndLanguage))]
    public void Every_kind_renders_in_every_language_with_no_placeholder_left(NotificationKind kind, Language language)
    {
        var message = NotificationTemplates.Render(kind, language, Everything);

        Assert.DoesNotContain('{', message.Title + message.Body);
        Assert.DoesNotContain('}', message.Title + message.Body);
        Assert.False(string.IsNullOrWhiteSpace(message.Title));
    }

    [Fact]
    public void A_top_up_confirmation_reads_naturally_in_english_and_chinese()
    {
        var values = new TemplateValues { Shop = "1F-012", Amount = Money.Yuan(200m), Balance = Money.Yuan(212.34m) };

        Assert.Equal(
            "1F-012: top-up of ¥200.00 received. Balance ¥212.34.",
            NotificationTemplates.Render(NotificationKind.TopUpReceived, Language.English, values).Body);
        Assert.Equal(
            "【1F-012】充值200.00元已到账，当前余额212.34元。",
            NotificationTemplates.Render(NotificationKind.TopUpReceived, Language.SimplifiedChinese, values).Body);
    }

    [Fact]
    public void The_forecast_counts_days_in_each_language()
    {
        var one = new TemplateValues { Shop = "B2-003", Balance = Money.Yuan(9.5m), Days = 1 };

        Assert.Equal("About 1 day of electricity credit left", NotificationTemplates.Render(NotificationKind.PredictedExhaustion, Language.English, one).Title);
        Assert.Equal("About 3 days of electricity credit left", NotificationTemplates.Render(NotificationKind.PredictedExhaustion, Language.English, one with { Days = 3 }).Title);
        Assert.Contains("约可使用1天", NotificationTemplates.Render(NotificationKind.PredictedExhaustion, Language.SimplifiedChinese, one).Body, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operator_alarm_names_the_alarm_in_the_operators_language()
    {
        var values = new TemplateValues { Alarm = AlarmType.MaliciousLoad, Source = "Meter 1F-012", Detail = "Resistive step of 2.00 kW (power factor 0.97)." };

        Assert.Equal("告警：恶性负载", NotificationTemplates.Render(NotificationKind.OperatorAlarm, Language.SimplifiedChinese, values).Title);
        Assert.Equal(
            "Meter 1F-012: illegal high-power appliance. Resistive step of 2.00 kW (power factor 0.97).",
            NotificationTemplates.Render(NotificationKind.OperatorAlarm, Language.English, values).Body);
    }

    [Fact]
    public void Every_alarm_type_has_a_name_in_both_languages() =>
        Assert.All(Enum.GetValues<AlarmType>(), type =>
        {
            Assert.NotEmpty(NotificationTemplates.AlarmName(type, Language.English));
            Assert.NotEmpty(NotificationTemplates.AlarmName(type, Language.SimplifiedChinese));
        });

    [Fact]
    public void A_missing_value_is_refused_with_the_placeholder_named()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            NotificationTemplates.Render(NotificationKind.TopUpReceived, Language.English, new TemplateValues { Shop = "x", Balance = Money.Zero }));

        Assert.Contains("{amount}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12.34", Language.English, "¥12.34")]
    [InlineData("1234.565", Language.English, "¥1,234.57")]
    [InlineData("-3", Language.English, "-¥3.00")]
    [InlineData("12.34", Language.SimplifiedChinese, "12.34元")]
    [InlineData("1234.5", Language.SimplifiedChinese, "1234.50元")]
    [InlineData("-0.004", Language.SimplifiedChinese, "0.00元")]
    public void Money_is_shown_rounded_to_the_fen_with_the_currency_sign_of_the_language(string amount, Language language, string expected) =>
        Assert.Equal(expected, MoneyText.Format(Money.Yuan(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)), language));
}
