using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>The defaults kube-apiserver fills in, so objects read back the way a real cluster returns them.</summary>
public static class Defaulting
{
    public static void OnCreate(ResourceType type, JsonObject obj)
    {
        if (type.HasStatus && type != ResourceCatalog.Nodes)
        {
            obj.Remove("status");
        }
        if (type == ResourceCatalog.Namespaces)
        {
            var name = (string)obj["metadata"]!["name"]!;
            Labels(obj)["kubernetes.io/metadata.name"] = name;
            obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] = new JsonObject { ["phase"] = "Active" };
        }
        else if (type == ResourceCatalog.Pods)
        {
            RequestsFromLimits(obj["spec"]);
            obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = PodResources.QosClass(obj["spec"]) };
        }
        else if (type == ResourceCatalog.Services)
        {
            var spec = Spec(obj);
            spec["type"] ??= "ClusterIP";
            spec["sessionAffinity"] ??= "None";
            if (spec["clusterIP"] is null)
            {
                var ip = $"10.96.{Random.Shared.Next(0, 255)}.{Random.Shared.Next(1, 255)}";
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
            }
            obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
        else if (type.Group == "apps")
        {
            obj["status"] = new JsonObject();
        }
        OnUpdate(type, obj);
    }

    public static void OnUpdate(ResourceType type, JsonObject obj)
    {
        QuantityFields.Normalize(type, obj);
        if (type == ResourceCatalog.Secrets)
        {
            StringDataIntoData(obj);
        }
        else if (type == ResourceCatalog.LimitRanges)
        {
            LimitRanger.DefaultItems(obj);
        }
        else if (type == ResourceCatalog.Pods)
        {
            PodSpec(Spec(obj));
        }
        else if (type.Group == "apps")
        {
            var spec = Spec(obj);
            spec["replicas"] ??= 1;
            spec["revisionHistoryLimit"] ??= 10;
            if (type == ResourceCatalog.Deployments)
            {
                spec["progressDeadlineSeconds"] ??= 600;
                spec["strategy"] ??= new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" },
                };
            }
            else if (type == ResourceCatalog.StatefulSets)
            {
                spec["podManagementPolicy"] ??= "OrderedReady";
                spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } };
            }
            if (spec["template"]?["spec"] is JsonObject podSpec)
            {
                PodSpec(podSpec);
            }
        }
        else if (type == ResourceCatalog.Services && obj["spec"]?["ports"] is JsonArray ports)
        {
            var spec = obj["spec"]!.AsObject();
            if ((string?)spec["type"] == "LoadBalancer")
            {
                spec["allocateLoadBalancerNodePorts"] ??= true;
            }
            // A LoadBalancer without node ports (allocateLoadBalancerNodePorts: false) keeps only those it names.
            var nodePorts = (string?)spec["type"] == "NodePort" || ((string?)spec["type"] == "LoadBalancer" && (bool?)spec["allocateLoadBalancerNodePorts"] != false);
            foreach (var port in ports.OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
                port["targetPort"] ??= port["port"]?.DeepClone();
                if (nodePorts)
                {
                    port["nodePort"] ??= Random.Shared.Next(30000, 32768);
                }
            }
        }
    }

    private static void PodSpec(JsonObject spec)
    {
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["serviceAccountName"] ??= "default";
        spec["schedulerName"] ??= "default-scheduler";
        spec["securityContext"] ??= new JsonObject();
        foreach (var container in (spec["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var image = (string?)container["image"] ?? "";
            container["imagePullPolicy"] ??= image.EndsWith(":latest", StringComparison.Ordinal) || !image.Contains(':') ? "Always" : "IfNotPresent";
            container["terminationMessagePath"] ??= "/dev/termination-log";
            container["terminationMessagePolicy"] ??= "File";
            container["resources"] ??= new JsonObject();
        }
    }

    /// <summary>SetDefaults_Pod: a container that states a limit but no request for a resource requests its limit (pods only, not templates).</summary>
    private static void RequestsFromLimits(JsonNode? spec)
    {
        foreach (var container in PodResources.Containers(spec).Concat(PodResources.InitContainers(spec)))
        {
            if (container["resources"]?["limits"] is not JsonObject { Count: > 0 } limits)
            {
                continue;
            }
            var requests = container["resources"]!["requests"] as JsonObject ?? [];
            container["resources"]!["requests"] = requests;
            foreach (var (name, value) in limits)
            {
                requests[name] ??= value?.DeepClone();
            }
        }
    }

    private static JsonObject Spec(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            obj["spec"] = spec;
        }
        return spec;
    }

    private static JsonObject Labels(JsonObject obj)
    {
        var metadata = obj["metadata"]!.AsObject();
        if (metadata["labels"] is not JsonObject labels)
        {
            labels = new JsonObject();
            metadata["labels"] = labels;
        }
        return labels;
    }

    /// <summary>kube-apiserver writes a Secret's stringData into data (base64) and never stores stringData itself.</summary>
    private static void StringDataIntoData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject strings)
        {
            return;
        }
        var data = secret["data"] as JsonObject ?? [];
        foreach (var (key, value) in strings)
        {
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes((string?)value ?? ""));
        }
        secret["data"] = data;
        secret.Remove("stringData");
    }
}
