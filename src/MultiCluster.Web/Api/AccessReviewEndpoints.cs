using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiCluster.Web.Access;

namespace MultiCluster.Web.Api;

/// <summary><c>POST /api/v1/access-reviews/can-i</c>: what one person may do, asked of every cluster the reader sees.</summary>
public static class AccessReviewEndpoints
{
    public static async Task<Results<Ok<CanIAnswer>, ProblemHttpResult>> CanIAsync(CanIRequest request, ClaimsPrincipal user, CanIReviews reviews, CancellationToken cancellationToken) =>
        await reviews.AskAsync(user, request, cancellationToken) switch
        {
            { Answer: { } answer } => TypedResults.Ok(answer),
            var refused => TypedResults.Problem(detail: refused.Problem, statusCode: refused.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest,
                title: refused.Forbidden ? "Not allowed" : "Incomplete question"),
        };
}
