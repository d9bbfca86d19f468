using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>Column sets per kind, after kube-apiserver's printers (pkg/printers/internalversion).</summary>
public static class TablePrinters
{
    private static readonly TableColumn Name = new("Name", "string", "Name must be unique within a namespace.", Format: "name");
    private static readonly TableColumn Age = new("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.");

    private static readonly TablePrinter Default = new([Name, Age], (o, now) => [NameOf(o), AgeOf(o, now)]);

    /// <summary>kube-apiserver's default table (name, creation time), for kinds it has no printer for, and Roles and ClusterRoles.</summary>
    private static readonly TablePrinter CreatedAt = new(
        [Name, new("Created At", "date", "CreationTimestamp is a timestamp representing the server time when this object was created.")],
        (o, _) => [NameOf(o), Str(o["metadata"]?["creationTimestamp"])]);

    private static readonly TablePrinter Binding = new(
        [Name, new("Role", "string", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."),
         Age, new("Users", "string", "Users in the roleBinding", 1), new("Groups", "string", "Groups in the roleBinding", 1),
         new("ServiceAccounts", "string", "ServiceAccounts in the roleBinding", 1)],
        (o, now) => [NameOf(o), $"{Str(o["roleRef"]?["kind"])}/{Str(o["roleRef"]?["name"])}", AgeOf(o, now), .. SubjectCells(o)]);

    private static readonly Dictionary<string, TablePrinter> Printers = new()
    {
        ["Pod"] = new(
            [Name, new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
             new("Status", "string", "The aggregate status of the containers in this pod."),
             new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
             Age, new("IP", "string", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
             new("Node", "string", "NodeName is a request to schedule this pod onto a specific node.", 1),
             new("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node.", 1),
             new("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1)],
            (o, now) => PodPrinting.Cells(o, now)),
        ["Node"] = new(
            [Name, new("Status", "string", "The status of the node"), new("Roles", "string", "The roles of the node"), Age,
             new("Version", "string", "Kubelet Version reported by the node."),
             new("Internal-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
             new("External-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
             new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
             new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
             new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1)],
            (o, now) => NodeCells(o, now)),
        ["Namespace"] = new([Name, new("Status", "string", "The status of the namespace"), Age],
            (o, now) => [NameOf(o), Str(o["status"]?["phase"]), AgeOf(o, now)]),
        ["Deployment"] = new(
            [Name, new("Ready", "string", "Number of the pod with ready state"), new("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
             new("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."), Age,
             .. WorkloadWide(true)],
            (o, now) => [NameOf(o), $"{Int(o["status"]?["readyReplicas"])}/{Int(o["spec"]?["replicas"])}", Int(o["status"]?["updatedReplicas"]), Int(o["status"]?["availableReplicas"]), AgeOf(o, now), .. WorkloadWideCells(o, true)]),
        ["ReplicaSet"] = new(
            [Name, new("Desired", "integer", "Number of desired pods."), new("Current", "integer", "Number of actual replicas."), new("Ready", "integer", "The number of ready replicas for this replica set."), Age, .. WorkloadWide(true)],
            (o, now) => [NameOf(o), Int(o["spec"]?["replicas"]), Int(o["status"]?["replicas"]), Int(o["status"]?["readyReplicas"]), AgeOf(o, now), .. WorkloadWideCells(o, true)]),
        ["StatefulSet"] = new(
            [Name, new("Ready", "string", "Number of the pod with ready state"), Age, .. WorkloadWide(false)],
            (o, now) => [NameOf(o), $"{Int(o["status"]?["readyReplicas"])}/{Int(o["spec"]?["replicas"])}", AgeOf(o, now), .. WorkloadWideCells(o, false)]),
        ["Service"] = new(
            [Name, new("Type", "string", "The type of the service."), new("Cluster-IP", "string", "The cluster IP assigned to the service."),
             new("External-IP", "string", "The external IP of the service."), new("Port(s)", "string", "The ports exposed by the service."), Age,
             new("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", 1)],
            (o, now) => [NameOf(o), Str(o["spec"]?["type"]), Str(o["spec"]?["clusterIP"]), "<none>", ServicePorts(o), AgeOf(o, now), Selector(o["spec"]?["selector"] as JsonObject)]),
        ["ConfigMap"] = new([Name, new("Data", "integer", "Number of data in the config map."), Age],
            (o, now) => [NameOf(o), (o["data"] as JsonObject)?.Count ?? 0, AgeOf(o, now)]),
        ["Secret"] = new([Name, new("Type", "string", "The type of the secret."), new("Data", "integer", "Number of data in the secret."), Age],
            (o, now) => [NameOf(o), Str(o["type"]) is { Length: > 0 } t ? t : "Opaque", (o["data"] as JsonObject)?.Count ?? 0, AgeOf(o, now)]),
        ["ResourceQuota"] = new(
            [Name, Age, new("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
             new("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.")],
            (o, now) => [NameOf(o), AgeOf(o, now), .. QuotaCells(o)]),
        // kube-apiserver has no printer for LimitRanges: its default table (name, creation time) is what kubectl shows.
        ["LimitRange"] = CreatedAt,
        ["Role"] = CreatedAt,
        ["ClusterRole"] = CreatedAt,
        ["RoleBinding"] = Binding,
        ["ClusterRoleBinding"] = Binding,
        ["Lease"] = new([Name, new("Holder", "string", "The holder of the lease."), Age],
            (o, now) => [NameOf(o), Str(o["spec"]?["holderIdentity"]) ?? "", AgeOf(o, now)]),
        ["Event"] = new(
            [new("Last Seen", "string", "Time when this Event was last observed."), new("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future."),
             new("Reason", "string", "A machine-readable description of the cause of the event."), new("Object", "string", "The object that this event is about."),
             new("Message", "string", "A human-readable description of the status of this operation.")],
            (o, now) => [HumanDuration.Since(Str(o["lastTimestamp"]) ?? Str(o["metadata"]?["creationTimestamp"]), now), Str(o["type"]), Str(o["reason"]),
                         $"{Str(o["involvedObject"]?["kind"])?.ToLowerInvariant()}/{Str(o["involvedObject"]?["name"])}", Str(o["message"])]),
    };

    public static TablePrinter For(ResourceType type) => Printers.GetValueOrDefault(type.Kind, Default);

    internal static JsonNode? NameOf(JsonObject o) => Str(o["metadata"]?["name"]);

    internal static JsonNode AgeOf(JsonObject o, DateTimeOffset now) => HumanDuration.Since(Str(o["metadata"]?["creationTimestamp"]), now);

    internal static string? Str(JsonNode? node) => node is JsonValue value ? value.ToString() : null;

    internal static long Int(JsonNode? node) => JsonNumber.Long(node) ?? 0;

    private static IEnumerable<JsonNode?> NodeCells(JsonObject o, DateTimeOffset now)
    {
        var ready = (o["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => Str(c["type"]) == "Ready");
        var status = Str(ready?["status"]) == "True" ? "Ready" : "NotReady";
        if (o["spec"]?["unschedulable"] is JsonValue u && u.TryGetValue<bool>(out var unschedulable) && unschedulable)
        {
            status += ",SchedulingDisabled";
        }
        var roles = (o["metadata"]?["labels"] as JsonObject ?? []).Select(p => p.Key)
            .Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)).Select(k => k["node-role.kubernetes.io/".Length..]).Order().ToList();
        var info = o["status"]?["nodeInfo"];
        var internalIp = (o["status"]?["addresses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(a => Str(a["type"]) == "InternalIP");
        return [NameOf(o), status, roles.Count == 0 ? "<none>" : string.Join(',', roles), AgeOf(o, now), Str(info?["kubeletVersion"]),
                Str(internalIp?["address"]) ?? "<none>", "<none>", Str(info?["osImage"]), Str(info?["kernelVersion"]), Str(info?["containerRuntimeVersion"])];
    }

    /// <summary>"pods: 1/2, requests.cpu: 100m/1" and, apart, the limits.* resources, from status as kube's printer reads it.</summary>
    private static IEnumerable<JsonNode?> QuotaCells(JsonObject o)
    {
        var hard = ResourceList.Read(o["status"]?["hard"]);
        var used = ResourceList.Read(o["status"]?["used"]);
        string Cell(bool limits) => string.Join(", ", ResourceList.Ordered(hard).Where(h => (h.Key.Split('.') is ["limits", _, ..]) == limits)
            .Select(h => $"{h.Key}: {used.GetValueOrDefault(h.Key, Quantity.Zero)}/{h.Value}"));
        return [Cell(false), Cell(true)];
    }

    /// <summary>Users, groups and service accounts (namespace/name), each joined by ", " (rbac.SubjectsStrings).</summary>
    private static IEnumerable<JsonNode?> SubjectCells(JsonObject o)
    {
        var subjects = (o["subjects"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        string Of(string kind, Func<JsonObject, string> format) =>
            string.Join(", ", subjects.Where(s => Str(s["kind"]) == kind).Select(format));
        return [Of("User", s => Str(s["name"]) ?? ""), Of("Group", s => Str(s["name"]) ?? ""), Of("ServiceAccount", s => $"{Str(s["namespace"])}/{Str(s["name"])}")];
    }

    private static TableColumn[] WorkloadWide(bool withSelector) =>
    [
        new("Containers", "string", "Names of each container in the template.", 1),
        new("Images", "string", "Images referenced by each container in the template.", 1),
        .. withSelector ? new[] { new TableColumn("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1) } : [],
    ];

    private static IEnumerable<JsonNode?> WorkloadWideCells(JsonObject o, bool withSelector)
    {
        var containers = (o["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        yield return string.Join(',', containers.Select(c => Str(c["name"])));
        yield return string.Join(',', containers.Select(c => Str(c["image"])));
        if (withSelector)
        {
            yield return Selector(o["spec"]?["selector"]?["matchLabels"] as JsonObject);
        }
    }

    private static string Selector(JsonObject? labels) =>
        labels is null || labels.Count == 0 ? "<none>" : string.Join(',', labels.Select(p => $"{p.Key}={p.Value}"));

    private static string ServicePorts(JsonObject o)
    {
        var ports = (o["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(p => Int(p["nodePort"]) > 0 ? $"{Int(p["port"])}:{Int(p["nodePort"])}/{Str(p["protocol"]) ?? "TCP"}" : $"{Int(p["port"])}/{Str(p["protocol"]) ?? "TCP"}").ToList();
        return ports.Count == 0 ? "<none>" : string.Join(',', ports);
    }
}
