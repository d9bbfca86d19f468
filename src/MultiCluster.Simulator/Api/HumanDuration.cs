namespace MultiCluster.Simulator.Api;

/// <summary>Ages the way kubectl prints them ("45s", "3m20s", "5h", "12d"), after apimachinery's duration.HumanDuration.</summary>
public static class HumanDuration
{
    public static string Since(string? timestamp, DateTimeOffset now) =>
        timestamp is null || !DateTimeOffset.TryParse(timestamp, System.Globalization.CultureInfo.InvariantCulture, out var time)
            ? "<unknown>"
            : Format(now - time);

    public static string Format(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 0)
        {
            return "0s";
        }
        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }
        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        }
        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }
        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        }
        if (hours < 48)
        {
            return $"{hours}h";
        }
        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        }
        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }
        var years = hours / 24 / 365;
        var days = hours / 24 % 365;
        return years < 8 && days != 0 ? $"{years}y{days}d" : $"{years}y";
    }
}
