using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MultiCluster.Web.Health;

/// <summary>/readyz in plain text: the overall status on the first line, then each check's sentence (whether this replica leads).</summary>
internal static class HealthReportText
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries.Select(e => $"{e.Key}: {e.Value.Status}. {e.Value.Description}");
        return context.Response.WriteAsync(string.Join('\n', [report.Status.ToString(), .. lines]) + "\n", context.RequestAborted);
    }
}
