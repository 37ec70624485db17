using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Meters;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Kilowallet.Simulator.Control;

/// <summary>
/// The simulation's HTTP control API: live values, relay and button, events, speed. Handlers take the
/// <see cref="ISimulationControl"/> registered in the host's services, so a host mounts the same endpoints under its
/// own prefix and policies: <c>SimulationControlApi.Map(app.MapGroup("/api/v1/simulator")).RequireAuthorization(…)</c>.
/// Refusals are problem details with one sentence naming the setting (400), an unknown meter or event is 404.
/// </summary>
public static class SimulationControlApi
{
    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(string.Empty).WithTags("Simulator");
        group.MapGet("/meters", ListMeters);
        group.MapGet("/meters/{serial}", GetMeter);
        group.MapPost("/meters/{serial}/relay", SetRelay);
        group.MapPost("/meters/{serial}/button", PressButton);
        group.MapGet("/events", ListEvents);
        group.MapPost("/events", InjectEvent);
        group.MapDelete("/events/{id:int}", ClearEvent);
        group.MapGet("/speed", GetSpeed);
        group.MapPost("/speed", SetSpeed);
        return group;
    }

    internal static Ok<MeterView[]> ListMeters([FromServices] ISimulationControl control) =>
        TypedResults.Ok(control.ReadMeters().Select(MeterView.From).ToArray());

    internal static Results<Ok<MeterView>, ProblemHttpResult> GetMeter(string serial, [FromServices] ISimulationControl control) =>
        control.HasMeter(serial) ? TypedResults.Ok(MeterView.From(control.ReadMeter(serial))) : NoMeter(serial);

    internal static Results<Ok<RelayResult>, ProblemHttpResult> SetRelay(string serial, RelayRequest request, [FromServices] ISimulationControl control)
    {
        if (!control.HasMeter(serial))
        {
            return NoMeter(serial);
        }

        RelayCommand? command = request?.State switch
        {
            "open" => RelayCommand.Open,
            "closed" or "close" => RelayCommand.Close,
            "close_allowed" => RelayCommand.CloseAllowed,
            "close_direct" => RelayCommand.CloseDirect,
            _ => null,
        };
        if (command is null)
        {
            return Refused($"state must be open, closed, close_allowed or close_direct (got '{request?.State}').");
        }

        var outcome = control.SetRelay(serial, command.Value) switch
        {
            RelayOutcome.Done => "done",
            RelayOutcome.AwaitingButton => "awaiting_button",
            _ => "no_relay",
        };
        return TypedResults.Ok(new RelayResult(outcome, RelayText(control, serial)));
    }

    internal static Results<Ok<ButtonResult>, ProblemHttpResult> PressButton(string serial, [FromServices] ISimulationControl control)
    {
        if (!control.HasMeter(serial))
        {
            return NoMeter(serial);
        }

        var closed = control.PressButton(serial);
        return TypedResults.Ok(new ButtonResult(closed, RelayText(control, serial)));
    }

    internal static Ok<EventView[]> ListEvents([FromServices] ISimulationControl control) =>
        TypedResults.Ok(control.Events.Select(EventView.From).ToArray());

    internal static Results<Created<EventCreated>, ProblemHttpResult> InjectEvent(EventRequest request, HttpRequest http, [FromServices] ISimulationControl control)
    {
        if (string.IsNullOrWhiteSpace(request?.Spec))
        {
            return Refused("spec is required, e.g. \"malicious:unit=3,kw=2\".");
        }

        EventId id;
        try
        {
            id = control.Inject(request.Spec);
        }
        catch (ArgumentException e)
        {
            return Refused(Sentence.Of(e));
        }

        return TypedResults.Created($"{http.PathBase}{http.Path}/{id}", new EventCreated(id.Value));
    }

    internal static Results<NoContent, ProblemHttpResult> ClearEvent(int id, [FromServices] ISimulationControl control) =>
        control.ClearEvent(new EventId(id))
            ? TypedResults.NoContent()
            : TypedResults.Problem($"No event {id} is pending or active.", statusCode: StatusCodes.Status404NotFound, title: "Unknown event");

    internal static Ok<SpeedView> GetSpeed([FromServices] ISimulationControl control) =>
        TypedResults.Ok(new SpeedView(control.Speed, control.Now));

    internal static Results<Ok<SpeedView>, ProblemHttpResult> SetSpeed(SpeedRequest request, [FromServices] ISimulationControl control)
    {
        try
        {
            control.SetSpeed(request?.Speed ?? 0);
        }
        catch (ArgumentException e)
        {
            return Refused(Sentence.Of(e));
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Speed is fixed");
        }

        return TypedResults.Ok(new SpeedView(control.Speed, control.Now));
    }

    private static string RelayText(ISimulationControl control, string serial) =>
        control.ReadMeter(serial).Relay == RelayState.Open ? "open" : "closed";

    private static ProblemHttpResult NoMeter(string serial) =>
        TypedResults.Problem($"No meter has the serial '{serial}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown meter");

    private static ProblemHttpResult Refused(string sentence) =>
        TypedResults.Problem(sentence, statusCode: StatusCodes.Status400BadRequest, title: "Refused");
}
