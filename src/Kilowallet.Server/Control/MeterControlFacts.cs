using Kilowallet.Domain.Control;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;

namespace Kilowallet.Server.Control;

/// <summary>What the control loop knows about one meter at one instant: its situation for the policy and the stored state behind it.</summary>
/// <param name="Meter">The installed meter.</param>
/// <param name="Row">Its stored control state; null when nothing was ever stored.</param>
/// <param name="Balance">The paying account's balance; null for a meter without an account.</param>
/// <param name="AccountOpen">False when the paying account is closed (the loop leaves such a meter alone).</param>
/// <param name="Situation">The input of <see cref="ControlPolicy.Decide"/>.</param>
/// <param name="Zone">The site's time zone.</param>
public sealed record MeterControlFacts(
    MeterContext Meter,
    MeterControlRecord? Row,
    AccountBalance? Balance,
    bool AccountOpen,
    ControlSituation Situation,
    TimeZoneInfo Zone);
