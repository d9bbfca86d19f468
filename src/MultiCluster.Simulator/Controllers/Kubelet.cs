using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Faults;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// The kubelets of every node: start bound pods (Running, ready containers, pod IP), finish graceful
/// deletions, and act out the faults set on a pod: crash loops, image pull failures and OOM kills.
/// </summary>
internal sealed class Kubelet(ClusterStore store, EventRecorder events)
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);
    private static readonly byte[] FaultAnnotation = System.Text.Encoding.UTF8.GetBytes(FaultAnnotations.PodFault);

    // Faulted pods and when each restarts next: 1 s, 2 s, 4 s … up to 5 minutes, like the kubelet's
    // back-off (whose first step is 10 s; shorter here so tests and demos see restarts soon).
    private readonly Dictionary<string, (int Restarts, DateTimeOffset Next)> _faulted = new(StringComparer.Ordinal);

    public void Sync(StoredObject stored)
    {
        if (!stored.Terminating && stored.Fields.GetValueOrDefault("status.phase") == "Running" && !_faulted.ContainsKey(stored.Key) &&
            stored.Json.AsSpan().IndexOf(FaultAnnotation) < 0)
        {
            // A running pod without a fault, the most common change at scale (a status write, a label): nothing to do, nothing to parse.
            return;
        }
        // Told from the stored facts: the object is parsed only when its bytes name a fault (the start below parses it anyway).
        if (stored.Terminating)
        {
            _faulted.Remove(stored.Key);
            store.Remove(ResourceCatalog.Pods, stored.Namespace, stored.Name);
            return;
        }
        var fault = stored.Json.AsSpan().IndexOf(FaultAnnotation) < 0 ? null : (string?)stored.ToJsonObject()["metadata"]?["annotations"]?[FaultAnnotations.PodFault];
        var phase = stored.Fields.GetValueOrDefault("status.phase");
        if (fault is not null)
        {
            if (_faulted.TryAdd(stored.Key, (1, store.Time.GetUtcNow() + TimeSpan.FromSeconds(1))))
            {
                Restart(stored, fault);
            }
            return;
        }
        var wasFaulted = _faulted.Remove(stored.Key);
        if (phase == "Pending" || wasFaulted)
        {
            Start(stored, phase == "Pending");
        }
    }

    /// <summary>Each tick, faulted containers whose back-off has passed restart once more.</summary>
    public void Tick()
    {
        var now = store.Time.GetUtcNow();
        foreach (var (key, backOff) in _faulted.ToList())
        {
            if (now < backOff.Next)
            {
                continue;
            }
            var slash = key.IndexOf('/');
            if (store.Get(ResourceCatalog.Pods, key[..slash], key[(slash + 1)..]) is not { } stored)
            {
                _faulted.Remove(key);
                continue;
            }
            var fault = (string?)stored.ToJsonObject()["metadata"]?["annotations"]?[FaultAnnotations.PodFault];
            if (fault is null)
            {
                Sync(stored);
                continue;
            }
            Restart(stored, fault);
            var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, backOff.Restarts), MaxBackOff.TotalSeconds));
            _faulted[key] = (backOff.Restarts + 1, now + delay);
        }
    }

    private void Start(StoredObject stored, bool firstStart)
    {
        var now = ClusterStore.Timestamp(store.Time.GetUtcNow());
        string? image = null, container = null;
        var updated = store.Mutate(ResourceCatalog.Pods, stored.Namespace, stored.Name, p =>
        {
            image = (string?)Containers(p).FirstOrDefault()?["image"];
            container = (string?)Containers(p).FirstOrDefault()?["name"];
            var status = p["status"]!.AsObject();
            status["phase"] = "Running";
            status["hostIP"] = "172.18.0.2";
            status["podIP"] ??= PodIp(stored.Key);
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = status["podIP"]!.DeepClone() });
            status["startTime"] ??= now;
            foreach (var type in new[] { "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady" })
            {
                Scheduler.SetCondition(p, new JsonObject { ["type"] = type, ["status"] = "True", ["lastTransitionTime"] = now });
            }
            status["containerStatuses"] = new JsonArray([.. Containers(p).Select(c => (JsonNode)ContainerStatus(c, Previous(p, c), now, running: true))]);
            return true;
        });
        if (updated is not null && firstStart)
        {
            events.Normal(updated, "Pulled", $"Container image \"{image}\" already present on machine", "kubelet");
            events.Normal(updated, "Started", "Started container " + container, "kubelet");
        }
    }

    private void Restart(StoredObject stored, string fault)
    {
        var now = ClusterStore.Timestamp(store.Time.GetUtcNow());
        var updated = store.Mutate(ResourceCatalog.Pods, stored.Namespace, stored.Name, p =>
        {
            var status = p["status"]!.AsObject();
            status["startTime"] ??= now;
            status["hostIP"] = "172.18.0.2";
            var statuses = new JsonArray();
            foreach (var container in Containers(p))
            {
                var previous = Previous(p, container);
                var containerStatus = ContainerStatus(container, previous, now, running: false);
                var name = (string?)container["name"];
                if (fault == FaultAnnotations.ImagePullBackOff)
                {
                    status["phase"] = "Pending";
                    containerStatus["state"] = Waiting("ImagePullBackOff", $"Back-off pulling image \"{container["image"]}\"");
                }
                else
                {
                    status["phase"] = "Running";
                    status["podIP"] ??= PodIp(stored.Key);
                    var oom = fault == FaultAnnotations.OomKilled;
                    var terminated = new JsonObject
                    {
                        ["exitCode"] = oom ? 137 : 1,
                        ["reason"] = oom ? "OOMKilled" : "Error",
                        ["startedAt"] = (string?)previous?["state"]?["running"]?["startedAt"] ?? now,
                        ["finishedAt"] = now,
                        ["containerID"] = previous?["containerID"]?.DeepClone(),
                    };
                    containerStatus["restartCount"] = (JsonNumber.Int(previous?["restartCount"]) ?? 0) + 1;
                    containerStatus["lastState"] = new JsonObject { ["terminated"] = terminated };
                    containerStatus["state"] = oom
                        ? new JsonObject { ["terminated"] = terminated.DeepClone() }
                        : Waiting("CrashLoopBackOff", $"back-off 10s restarting failed container={name} pod={stored.Name}_{stored.Namespace}({p["metadata"]!["uid"]})");
                }
                statuses.Add(containerStatus);
            }
            status["containerStatuses"] = statuses;
            Scheduler.SetCondition(p, new JsonObject { ["type"] = "Ready", ["status"] = "False", ["reason"] = "ContainersNotReady", ["message"] = "containers with unready status: [" + string.Join(' ', Containers(p).Select(c => (string?)c["name"])) + "]", ["lastTransitionTime"] = now });
            Scheduler.SetCondition(p, new JsonObject { ["type"] = "ContainersReady", ["status"] = "False", ["reason"] = "ContainersNotReady", ["lastTransitionTime"] = now });
            return true;
        });
        if (updated is not null)
        {
            var obj = updated.ToJsonObject();
            if (fault == FaultAnnotations.ImagePullBackOff)
            {
                events.Warning(obj, "Failed", $"Failed to pull image \"{Containers(obj).FirstOrDefault()?["image"]}\": rpc error: code = NotFound desc = failed to pull and unpack image: not found", "kubelet");
            }
            else
            {
                events.Warning(obj, "BackOff", "Back-off restarting failed container " + (string?)Containers(obj).FirstOrDefault()?["name"], "kubelet");
            }
        }
    }

    private static JsonObject ContainerStatus(JsonObject container, JsonObject? previous, string now, bool running)
    {
        var image = (string?)container["image"] ?? "";
        return new JsonObject
        {
            ["name"] = container["name"]?.DeepClone(),
            ["image"] = image.Contains('/') ? image : "docker.io/library/" + image,
            ["imageID"] = "docker.io/library/" + image.Split(':')[0] + "@sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(image))),
            ["containerID"] = "containerd://" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["ready"] = running,
            ["started"] = running,
            ["restartCount"] = JsonNumber.Int(previous?["restartCount"]) ?? 0,
            ["lastState"] = previous?["lastState"]?.DeepClone() ?? new JsonObject(),
            ["state"] = running ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } } : new JsonObject(),
        };
    }

    private static JsonObject Waiting(string reason, string message) =>
        new() { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message } };

    private static IEnumerable<JsonObject> Containers(JsonObject pod) => (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>();

    private static JsonObject? Previous(JsonObject pod, JsonObject container) =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => (string?)s["name"] == (string?)container["name"]);

    private static string PodIp(string key)
    {
        var hash = (uint)key.GetHashCode(StringComparison.Ordinal);
        return $"10.244.{(hash >> 8) % 250}.{(hash % 250) + 2}";
    }
}
