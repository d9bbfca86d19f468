using System.Net;
using Microsoft.AspNetCore.Mvc;
using MultiCluster.Data;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Health;

/// <summary>
/// A request that needed the registry while it does not answer gets 503 with a sentence and <c>Retry-After</c>, never a
/// 500 with an exception: machines (the API, the hub) an <c>application/problem+json</c> body, people a short page that
/// reloads itself. Anything else goes on to the usual error handling.
/// </summary>
internal sealed class RegistryOutageResponses(RequestDelegate next, RegistryAvailability availability, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (RegistryOutage.Explains(ex, availability) && !context.Response.HasStarted)
        {
            await WriteAsync(context);
        }
    }

    private async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = ((int)RegistryOutage.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        if (SignInServiceCollectionExtensions.IsForMachines(context.Request))
        {
            var detail = RegistryOutage.Detail(availability.UnreachableSince);
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = RegistryOutage.Title, Detail = detail },
            });
            return;
        }
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{(int)RegistryOutage.RetryAfter.TotalSeconds}">
            <title>{RegistryOutage.Title} · MultiCluster</title></head>
            <body><h1>{RegistryOutage.Title}</h1><p data-testid="registry-outage">{WebUtility.HtmlEncode(RegistryOutage.Page(availability.UnreachableSince))}</p>
            </body></html>
            """);
    }
}

public static class RegistryOutageExtensions
{
    /// <summary>The probe that keeps <see cref="RegistryAvailability"/> current while nothing else uses the registry.</summary>
    public static IServiceCollection AddRegistryOutageHandling(this IServiceCollection services)
    {
        services.AddHostedService<RegistryProbe>();
        return services;
    }

    /// <summary>Before sign-in, so that a token or session that cannot be checked gets the 503 as well.</summary>
    public static IApplicationBuilder UseRegistryOutageResponses(this IApplicationBuilder app) => app.UseMiddleware<RegistryOutageResponses>();
}
