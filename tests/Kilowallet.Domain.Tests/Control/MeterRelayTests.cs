using Kilowallet.Domain.Control;

namespace Kilowallet.Domain.Tests.Control;

public sealed class MeterRelayTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 4, 0, 0, TimeSpan.Zero);

    private static readonly RelayCommandOptions Options = new()
    {
        AcknowledgementTimeout = TimeSpan.FromSeconds(15),
        ReadBackDelay = TimeSpan.FromSeconds(2),
        ReadBackTimeout = TimeSpan.FromSeconds(30),
        MaxAttempts = 4,
        InitialBackoff = TimeSpan.FromSeconds(10),
        MaxBackoff = TimeSpan.FromMinutes(5),
    };

    private static MeterRelay NewRelay() => MeterRelay.Create(Options, RelayState.Closed);

    private static RelayTransition Trip(MeterRelay relay, DateTimeOffset at) =>
        relay.Request(RelayState.Open, RelayCause.BalanceExhausted, "system", at);

    [Fact]
    public void A_command_goes_queued_sent_acknowledged_verified_and_records_its_timings()
    {
        var queued = Trip(NewRelay(), T0);
        Assert.Equal(RelayStep.Send(RelayState.Open), queued.Step);

        var sent = queued.Relay.Sent(T0.AddSeconds(1));
        Assert.Equal(RelayStep.WaitUntil(T0.AddSeconds(16)), sent.Step);

        var acked = sent.Relay.Acknowledged(T0.AddSeconds(2));
        Assert.Equal(RelayStep.WaitUntil(T0.AddSeconds(4)), acked.Step);
        Assert.Equal(RelayStep.ReadBack, acked.Relay.NextStep(T0.AddSeconds(4)));

        var verified = acked.Relay.ReadBack(T0.AddSeconds(5), RelayState.Open);

        var command = Assert.IsType<RelayCommand>(verified.Completed);
        Assert.Equal(RelayCommandStatus.Verified, command.Status);
        Assert.Equal((1, T0, T0.AddSeconds(1), T0.AddSeconds(2), T0.AddSeconds(5)),
            (command.Attempts, command.QueuedAt, command.FirstSentAt, command.AcknowledgedAt, command.CompletedAt));
        Assert.Equal(RelayStep.Idle, verified.Step);
        Assert.True(verified.Relay.IsSettled);
        Assert.Equal(RelayState.Open, verified.Relay.Desired);
    }

    [Fact]
    public void A_missing_acknowledgement_is_retried_with_exponential_backoff_and_fails_after_the_last_attempt()
    {
        var relay = Trip(NewRelay(), T0).Relay;
        var now = T0;
        var waits = new List<TimeSpan>();
        RelayTransition transition;
        while (true)
        {
            relay = relay.Sent(now).Relay;
            now += Options.AcknowledgementTimeout;
            transition = relay.Advance(now);
            relay = transition.Relay;
            if (transition.Completed is not null)
            {
                break;
            }

            var retryAt = Assert.IsType<DateTimeOffset>(transition.Step.At);
            waits.Add(retryAt - now);
            Assert.Equal(RelayStep.Send(RelayState.Open), relay.NextStep(retryAt));
            now = retryAt;
        }

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], waits);
        Assert.Equal(RelayCommandStatus.Failed, transition.Completed.Status);
        Assert.Equal(4, transition.Completed.Attempts);
        Assert.Contains("acknowledgement", transition.Completed.LastFailure, StringComparison.Ordinal);
        Assert.Equal(RelayStep.Idle, transition.Step);
    }

    [Fact]
    public void Backoff_doubles_up_to_its_maximum() =>
        Assert.Equal(
            [10, 20, 40, 80, 160, 300, 300],
            Enumerable.Range(1, 7).Select(n => (int)Options.BackoffAfter(n).TotalSeconds));

    [Fact]
    public void Waiting_before_a_deadline_changes_nothing()
    {
        var sent = Trip(NewRelay(), T0).Relay.Sent(T0).Relay;

        var early = sent.Advance(T0.AddSeconds(14));

        Assert.Same(sent, early.Relay);
        Assert.Equal(RelayStep.WaitUntil(T0.AddSeconds(15)), early.Step);
    }

    [Fact]
    public void A_wrong_state_read_back_fails_the_attempt_and_retries()
    {
        var acked = Trip(NewRelay(), T0).Relay.Sent(T0).Relay.Acknowledged(T0.AddSeconds(1)).Relay;

        var transition = acked.ReadBack(T0.AddSeconds(3), RelayState.Closed);

        Assert.Equal(RelayCommandStatus.Queued, transition.Relay.Active!.Status);
        Assert.Equal(RelayStep.WaitUntil(T0.AddSeconds(13)), transition.Step);
        Assert.Equal(RelayState.Closed, transition.Relay.Reported);
    }

    [Fact]
    public void A_missing_read_back_fails_the_attempt_at_its_deadline()
    {
        var acked = Trip(NewRelay(), T0).Relay.Sent(T0).Relay.Acknowledged(T0.AddSeconds(1)).Relay;

        Assert.Equal(RelayStep.ReadBack, acked.Advance(T0.AddSeconds(32)).Step);
        Assert.Equal(RelayCommandStatus.Queued, acked.Advance(T0.AddSeconds(33)).Relay.Active!.Status);
    }

    [Fact]
    public void A_rejected_command_is_retried()
    {
        var sent = Trip(NewRelay(), T0).Relay.Sent(T0).Relay;

        var transition = sent.Rejected(T0.AddSeconds(1), "Exception response 0x04");

        Assert.Equal("Exception response 0x04", transition.Relay.Active!.LastFailure);
        Assert.Equal(RelayStep.WaitUntil(T0.AddSeconds(11)), transition.Step);
    }

    [Fact]
    public void A_meter_that_does_not_acknowledge_is_verified_by_reading_back_the_target_state()
    {
        var sent = Trip(NewRelay(), T0).Relay.Sent(T0).Relay;

        Assert.Equal(RelayCommandStatus.Verified, sent.ReadBack(T0.AddSeconds(3), RelayState.Open).Completed!.Status);
    }

    [Fact]
    public void A_late_acknowledgement_of_an_abandoned_attempt_is_ignored()
    {
        var retrying = Trip(NewRelay(), T0).Relay.Sent(T0).Relay.Advance(T0.AddSeconds(15)).Relay;

        Assert.Same(retrying, retrying.Acknowledged(T0.AddSeconds(16)).Relay);
    }

    [Fact]
    public void A_newer_desired_state_supersedes_a_queued_command()
    {
        var queued = Trip(NewRelay(), T0).Relay;

        var transition = queued.Request(RelayState.Closed, RelayCause.BalanceRestored, "system", T0.AddSeconds(1));

        Assert.Equal(RelayCommandStatus.Superseded, transition.Superseded!.Status);
        Assert.Equal(RelayState.Open, transition.Superseded.Target);
        Assert.Equal(RelayStep.Send(RelayState.Closed), transition.Step);
        Assert.Equal(2, transition.Relay.Active!.Sequence);
    }

    [Fact]
    public void A_request_while_a_command_is_in_flight_waits_until_it_completes()
    {
        var inFlight = Trip(NewRelay(), T0).Relay.Sent(T0).Relay;

        var waiting = inFlight.Request(RelayState.Closed, RelayCause.BalanceRestored, "system", T0.AddSeconds(1));
        Assert.Equal(RelayCommandStatus.Sent, waiting.Relay.Active!.Status);
        Assert.Equal(RelayState.Closed, waiting.Relay.Pending!.Target);
        Assert.Equal(RelayState.Closed, waiting.Relay.Desired);
        Assert.Equal(RelayStepKind.Wait, waiting.Step.Kind);

        var done = waiting.Relay.ReadBack(T0.AddSeconds(3), RelayState.Open);
        Assert.Equal(RelayCommandStatus.Verified, done.Completed!.Status);
        Assert.Equal(RelayStep.Send(RelayState.Closed), done.Step);
        Assert.Null(done.Relay.Pending);
    }

    [Fact]
    public void Asking_again_for_the_in_flight_state_drops_the_waiting_opposite_request()
    {
        var waiting = Trip(NewRelay(), T0).Relay.Sent(T0).Relay
            .Request(RelayState.Closed, RelayCause.BalanceRestored, "system", T0.AddSeconds(1)).Relay;

        var transition = waiting.Request(RelayState.Open, RelayCause.Operator, "op-1", T0.AddSeconds(2));

        Assert.Null(transition.Relay.Pending);
        Assert.Equal(RelayState.Closed, transition.Superseded!.Target);
    }

    [Fact]
    public void Asking_twice_for_the_same_queued_state_keeps_one_command()
    {
        var queued = Trip(NewRelay(), T0).Relay;

        var again = Trip(queued, T0.AddSeconds(1));

        Assert.Same(queued, again.Relay);
        Assert.Null(again.Superseded);
    }

    [Fact]
    public void After_a_failed_command_the_waiting_request_starts()
    {
        var relay = MeterRelay.Create(Options with { MaxAttempts = 1 }, RelayState.Closed);
        var waiting = Trip(relay, T0).Relay.Sent(T0).Relay
            .Request(RelayState.Closed, RelayCause.Operator, "op-1", T0.AddSeconds(1)).Relay;

        var failed = waiting.Advance(T0.AddSeconds(15));

        Assert.Equal(RelayCommandStatus.Failed, failed.Completed!.Status);
        Assert.Equal(RelayStep.Send(RelayState.Closed), failed.Step);
    }

    [Fact]
    public void Sending_when_nothing_is_queued_is_a_programming_error() =>
        Assert.Throws<InvalidOperationException>(() => NewRelay().Sent(T0));

    [Fact]
    public void Invalid_options_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MeterRelay.Create(Options with { MaxAttempts = 0 }));
}
