using Kilowallet.Server.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kilowallet.Server.Api;

/// <summary>RFC 9457 problem details for the errors every endpoint returns the same way.</summary>
public static class Problems
{
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Title = "The request is not valid.",
            Status = StatusCodes.Status400BadRequest,
        });

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(title: "Not signed in.", detail: detail, statusCode: StatusCodes.Status401Unauthorized);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "The request conflicts with the current state.", detail: detail, statusCode: StatusCodes.Status409Conflict);

    /// <summary>
    /// The problems the directory rules found: 400 with every invalid field, or 409 when the only
    /// problems are values another record already holds (a serial, a unit number, a bus address).
    /// </summary>
    public static ProblemHttpResult Of(FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.AnyInvalid
            ? Validation(errors.ByApiName(conflicts: false))
            : TypedResults.Problem(new HttpValidationProblemDetails(errors.ByApiName(conflicts: true))
            {
                Title = "The request conflicts with the current state.",
                Detail = string.Join(" ", errors.All.Select(e => $"{FieldErrors.ApiName(e.Field)}: {e.Reason}.")),
                Status = StatusCodes.Status409Conflict,
            });
    }

    public static ProblemHttpResult Unprocessable(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status422UnprocessableEntity);
}
