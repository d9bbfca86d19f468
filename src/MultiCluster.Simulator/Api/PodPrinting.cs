using System.Text.Json.Nodes;
using static MultiCluster.Simulator.Api.TablePrinters;

namespace MultiCluster.Simulator.Api;

/// <summary>The pod row kubectl prints: READY, the aggregate STATUS reason, and RESTARTS with the last restart's age.</summary>
public static class PodPrinting
{
    public static IEnumerable<JsonNode?> Cells(JsonObject pod, DateTimeOffset now)
    {
        var status = pod["status"] as JsonObject ?? [];
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).Count;
        var statuses = (status["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var ready = statuses.Count(s => s["ready"] is JsonValue r && r.TryGetValue<bool>(out var b) && b);
        var restarts = statuses.Sum(s => Int(s["restartCount"]));
        var lastRestart = statuses.Select(s => Str(s["lastState"]?["terminated"]?["finishedAt"])).Where(t => t is not null).Max();
        var restartText = restarts > 0 && lastRestart is not null ? $"{restarts} ({HumanDuration.Since(lastRestart, now)} ago)" : restarts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var gates = (pod["spec"]?["readinessGates"] as JsonArray ?? []).Count;
        return
        [
            NameOf(pod), $"{ready}/{containers}", Reason(pod, statuses), restartText, AgeOf(pod, now),
            Str(status["podIP"]) ?? "<none>", Str(pod["spec"]?["nodeName"]) ?? "<none>",
            Str(status["nominatedNodeName"]) ?? "<none>", gates == 0 ? "<none>" : $"0/{gates}",
        ];
    }

    public static string Reason(JsonObject pod, IReadOnlyList<JsonObject> statuses)
    {
        var reason = Str(pod["status"]?["reason"]) ?? Str(pod["status"]?["phase"]) ?? "Unknown";
        var hasRunning = false;
        for (var i = statuses.Count - 1; i >= 0; i--)
        {
            var state = statuses[i]["state"];
            if (Str(state?["waiting"]?["reason"]) is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (state?["terminated"] is JsonObject terminated)
            {
                reason = Str(terminated["reason"]) ?? (Int(terminated["signal"]) != 0 ? $"Signal:{Int(terminated["signal"])}" : $"ExitCode:{Int(terminated["exitCode"])}");
            }
            else if (state?["running"] is not null && statuses[i]["ready"] is JsonValue r && r.TryGetValue<bool>(out var isReady) && isReady)
            {
                hasRunning = true;
            }
        }
        if (reason == "Completed" && hasRunning)
        {
            reason = "Running";
        }
        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            reason = "Terminating";
        }
        return reason;
    }
}
