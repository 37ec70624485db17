using Kilowallet.Server.Sites;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kilowallet.Server.Api;

/// <summary>RFC 9457 problem details for the errors every endpoint returns the same way.</summary>
public static class Problems
{
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(Localized(errors))
        {
            Title = Text.Translate("The request is not valid."),
            Status = StatusCodes.Status400BadRequest,
        });

    /// <summary>A refusal of a well-formed request (422) with the field it concerns, in the caller's language.</summary>
    public static ProblemHttpResult Refused(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(Localized(new Dictionary<string, string[]> { [field] = [message] }))
        {
            Title = Text.Translate("The operation was refused; nothing was written."),
            Detail = Text.Translate(message),
            Status = StatusCodes.Status422UnprocessableEntity,
        });

    /// <summary>Field messages in the caller's language (those with a translation).</summary>
    public static Dictionary<string, string[]> Localized(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.ToDictionary(e => e.Key, e => e.Value.Select(Text.Translate).ToArray());
    }

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
            : TypedResults.Problem(new HttpValidationProblemDetails(Localized(errors.ByApiName(conflicts: true)))
            {
                Title = Text.Translate("The request conflicts with the current state."),
                Detail = string.Join(" ", errors.All.Select(e => $"{FieldErrors.ApiName(e.Field)}: {e.Reason}.")),
                Status = StatusCodes.Status409Conflict,
            });
    }

    public static ProblemHttpResult Unprocessable(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status422UnprocessableEntity);
}
