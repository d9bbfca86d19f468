namespace MultiCluster.Core;

/// <summary>Ages the way kubectl prints them: 45s, 12m, 5h, 3d, 2y.</summary>
public static class Ages
{
    public static string Format(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is not { } start)
        {
            return "–";
        }
        var age = now - start;
        return age switch
        {
            { TotalSeconds: < 0 } => "0s",
            { TotalMinutes: < 2 } => $"{(int)age.TotalSeconds}s",
            { TotalHours: < 2 } => $"{(int)age.TotalMinutes}m",
            { TotalDays: < 2 } => $"{(int)age.TotalHours}h",
            { TotalDays: < 730 } => $"{(int)age.TotalDays}d",
            _ => $"{(int)(age.TotalDays / 365)}y",
        };
    }
}
