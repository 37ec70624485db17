using Microsoft.AspNetCore.Http.HttpResults;

namespace Kilowallet.Server.Control;

/// <summary>Problem details of the control and safety endpoints: 422 with the field and a sentence, 409 for a state that forbids the action.</summary>
public static class ControlProblems
{
    public static ProblemHttpResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Title = "The request is not valid.",
            Status = StatusCodes.Status422UnprocessableEntity,
        });

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "The meter's state does not allow this.", detail: detail, statusCode: StatusCodes.Status409Conflict);
}
