using System.Text.Json;
using k8s;
using k8s.Models;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>
/// The pods and nodes informers decode only the fields their projections read: the summaries must be the ones whole
/// objects give, for objects as a real API server sends them (managedFields, volumes, probes, image lists).
/// </summary>
public sealed class DecodedFieldsTests
{
    private static readonly FleetProjections Projections = new(new StringPool());

    /// <summary>A Deployment's pod, one container restarted after an OOM kill, everything a kubelet and kubectl write.</summary>
    private const string DeploymentPod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d4b9c-x2k8p","generateName":"web-7d4b9c-","namespace":"shop","uid":"0b7a","resourceVersion":"812",
          "creationTimestamp":"2026-12-01T10:00:00Z","labels":{"app":"web","pod-template-hash":"7d4b9c"},"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-12-01T09:59:00Z"},
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d4b9c","uid":"9f1c","controller":true,"blockOwnerDeletion":true}],
          "managedFields":[{"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","time":"2026-12-01T10:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}}]},
         "spec":{"volumes":[{"name":"kube-api-access","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}}]}}],
          "containers":[{"name":"app","image":"shop/web:1.4","ports":[{"containerPort":8080,"protocol":"TCP"}],"env":[{"name":"MODE","value":"prod"}],
            "resources":{"limits":{"cpu":"1","memory":"512Mi"},"requests":{"cpu":"250m","memory":"256Mi"}},
            "livenessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":10},"volumeMounts":[{"name":"kube-api-access","mountPath":"/var/run/secrets"}]},
           {"name":"sidecar","image":"envoy:1.30","resources":{"limits":{"cpu":"100m","memory":"64Mi"}}}],
          "nodeName":"worker-3","tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],"securityContext":{"runAsNonRoot":true}},
         "status":{"phase":"Running","hostIP":"10.0.0.3","podIP":"10.244.3.7","podIPs":[{"ip":"10.244.3.7"}],"qosClass":"Burstable","startTime":"2026-12-01T10:00:01Z",
          "conditions":[{"type":"PodScheduled","status":"True","lastTransitionTime":"2026-12-01T10:00:00Z"},{"type":"Ready","status":"True","lastTransitionTime":"2026-12-01T10:05:00Z"}],
          "containerStatuses":[
           {"name":"app","image":"shop/web:1.4","imageID":"docker.io/shop/web@sha256:aa","containerID":"containerd://1","ready":true,"started":true,"restartCount":3,
            "state":{"running":{"startedAt":"2026-12-01T10:05:00Z"}},
            "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","startedAt":"2026-12-01T10:01:00Z","finishedAt":"2026-12-01T10:04:59Z","containerID":"containerd://0"}}},
           {"name":"sidecar","image":"envoy:1.30","imageID":"docker.io/envoy@sha256:bb","containerID":"containerd://2","ready":false,"started":true,"restartCount":1,
            "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 10s restarting failed container=sidecar"}},
            "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"2026-12-01T10:03:00Z"}}}]}}
        """;

    public static TheoryData<string> Pods() =>
    [
        DeploymentPod,
        // Stuck in its second init container, which failed without a reason.
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"db-0","namespace":"data","resourceVersion":"9","creationTimestamp":"2026-12-01T10:00:00Z",
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"db","uid":"1"}]},
         "spec":{"initContainers":[{"name":"copy","image":"busybox"},{"name":"migrate","image":"db:2"}],"containers":[{"name":"db","image":"db:2"}]},
         "status":{"phase":"Pending","initContainerStatuses":[
           {"name":"copy","ready":true,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
           {"name":"migrate","ready":false,"restartCount":2,"state":{"terminated":{"exitCode":1}}}],
          "containerStatuses":[{"name":"db","ready":false,"restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]}}
        """,
        // Killed by a signal, without a reason.
        """
        {"metadata":{"name":"job-1","namespace":"batch","resourceVersion":"3"},"spec":{"containers":[{"name":"run","resources":{"requests":{"cpu":"2"}}}]},
         "status":{"phase":"Failed","containerStatuses":[{"name":"run","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"signal":9,"finishedAt":"2026-12-01T11:00:00Z"}}}]}}
        """,
        // Not scheduled: the scheduler's words.
        """
        {"metadata":{"name":"big","namespace":"default","resourceVersion":"4","creationTimestamp":"2026-12-01T10:00:00Z"},
         "spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"64","memory":"1Ti"}}}]},
         "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/3 nodes are available: 3 Insufficient cpu."}]}}
        """,
        // Nulls wherever a field may be null, escaped names and strings, fields of other API versions.
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"n\u0061me":"caf\u00e9-0","namespace":"default","resourceVersion":"6","creationTimestamp":null,"deletionTimestamp":null,
          "labels":{"app.kubernetes.io\/name":"caf\u00e9","quote":"a\"b"},"ownerReferences":null,"future":{"nested":[1,{"deeper":[true,null,"x"]}]}},
         "spec":{"containers":[{"name":"c","resources":null},{"name":"d","resources":{"requests":null,"limits":{"cpu":"1"},"claims":[{"name":"gpu"}]}}],"initContainers":null,"nodeName":null},
         "status":{"phase":null,"reason":null,"conditions":null,"initContainerStatuses":null,"containerStatuses":[
           {"name":"c","ready":false,"restartCount":0,"state":{"waiting":null,"running":null,"terminated":null},"lastState":null},
           {"name":"d","ready":true,"restartCount":4,"state":{"running":{"startedAt":"2026-12-01T10:00:00Z"}},"lastState":{"terminated":{"exitCode":2,"signal":null,"reason":null,"finishedAt":null}}}]}}
        """,
        // Quantities in every form: decimal, exponent, binary and decimal suffixes, a limit standing in for a missing
        // request, resources the summary does not read. The decoder keeps cpu and memory as text, the whole pod parses them.
        """
        {"metadata":{"name":"q","namespace":"default","resourceVersion":"7"},"spec":{"containers":[
           {"name":"a","resources":{"requests":{"cpu":"0.5","memory":"1.5Gi","nvidia.com/gpu":"1"},"limits":{"cpu":"2","memory":"2G"}}},
           {"name":"b","resources":{"requests":{"memory":"1e3"},"limits":{"cpu":"1500m","memory":"4Mi","ephemeral-storage":"1Ti"}}},
           {"name":"c","resources":{"requests":{"cpu":null,"memory":"129e6"},"limits":{"cpu":".25"}}},
           {"name":"d","resources":{"requests":{"cpu":"100u","memory":"3k"}}},
           {"name":"e","resources":{"limits":{"cpu":"1E1","memory":"+12Ki"}}}]},
         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","message":"m"},{"status":"False","message":"not yet","type":"PodScheduled","reason":"Unschedulable"}]}}
        """,
        // Quantities outside the grammar that KubernetesClient still reads (a number, padded text), one past a long's range,
        // and a condition type sent escaped.
        """
        {"metadata":{"name":"odd","namespace":"default","resourceVersion":"8"},"spec":{"containers":[
           {"name":"a","resources":{"requests":{"cpu":1,"memory":"16Ei"}}},{"name":"b","resources":{"limits":{"cpu":" 250m ","memory":2048}}}]},
         "status":{"phase":"Pending","conditions":[{"type":"Pod\u0053cheduled","status":"False","reason":"Unschedulable","message":"no nodes"}]}}
        """,
        // Being deleted on a node that is gone.
        """
        {"metadata":{"name":"lost","namespace":"default","resourceVersion":"5","deletionTimestamp":"2026-12-01T12:00:00Z"},"spec":{"containers":[{"name":"c"}],"nodeName":"gone"},
         "status":{"phase":"Running","reason":"NodeLost","containerStatuses":[{"name":"c","ready":true,"restartCount":0,"state":{"running":{}}}]}}
        """,
    ];

    [Theory]
    [MemberData(nameof(Pods))]
    public void A_pod_decoded_for_the_informer_has_the_summary_of_the_whole_pod(string json)
    {
        var whole = KubernetesJson.Deserialize<V1Pod>(json);
        var decoded = JsonSerializer.Deserialize<V1Pod>(json, WatchedKinds.Pods.Decoding)!;

        Assert.Equal(Summary(Projections.Pod("prod", whole)), Summary(Projections.Pod("prod", decoded)));
        Assert.Equal(whole.Metadata.ResourceVersion, decoded.Metadata.ResourceVersion);
    }

    [Theory]
    [InlineData("""{"metadata":"web-1"}""")]
    [InlineData("""{"metadata":{"name":"web-1"},"status":{"containerStatuses":{"name":"c"}}}""")]
    [InlineData("""{"metadata":{"name":"web-1"},"status":{"containerStatuses":[{"restartCount":"three"}]}}""")]
    [InlineData("""{"metadata":{"name":"web-1","creationTimestamp":"yesterday"}}""")]
    [InlineData("""{"metadata":{"name":"web-1"},"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"lots"}}}]}}""")]
    [InlineData("""{"metadata":{"name":"web-1"},"spec":{"containers":[{"name":"c","resources":{"limits":{"memory":"1Qi"}}}]}}""")]
    [InlineData("""{"metadata":{"name":"web-1"},"spec":{"containers":[{"name":"c","resources":{"requests":{"memory":"1K"}}}]}}""")]
    public void A_pod_the_serializer_refuses_is_refused_by_the_informer_too(string json)
    {
        // The informer's callers tell a value that does not parse from a dropped connection by the exception's type.
        var whole = Assert.ThrowsAny<Exception>(() => JsonSerializer.Deserialize<V1Pod>(json, WatchEvents.Options));
        var decoded = Assert.ThrowsAny<Exception>(() => JsonSerializer.Deserialize<V1Pod>(json, WatchedKinds.Pods.Decoding));
        Assert.Equal(whole.GetType(), decoded.GetType());
    }

    [Fact]
    public void A_pods_list_page_and_watch_event_are_decoded_by_the_informers_reader()
    {
        var page = JsonSerializer.Deserialize<V1PodList>($$"""{"metadata":{"resourceVersion":"9"},"items":[{{DeploymentPod}}]}""", WatchedKinds.Pods.Decoding)!;
        var watched = JsonSerializer.Deserialize<Watcher<V1Pod>.WatchEvent>($$"""{"type":"MODIFIED","object":{{DeploymentPod}}}""", WatchedKinds.Pods.Decoding)!;

        var whole = Summary(Projections.Pod("prod", KubernetesJson.Deserialize<V1Pod>(DeploymentPod)));
        Assert.Equal(whole, Summary(Projections.Pod("prod", page.Items.Single())));
        Assert.Equal(whole, Summary(Projections.Pod("prod", watched.Object)));
        Assert.Null(watched.Object.Metadata.ManagedFields);
    }

    [Fact]
    public void The_pods_informer_skips_what_no_page_shows()
    {
        var decoded = JsonSerializer.Deserialize<V1Pod>(DeploymentPod, WatchedKinds.Pods.Decoding)!;

        Assert.Null(decoded.Metadata.ManagedFields);
        Assert.Null(decoded.Metadata.Annotations);
        Assert.Null(decoded.Spec.Volumes);
        Assert.Null(decoded.Spec.Containers[0].Env);
        Assert.Null(decoded.Status.ContainerStatuses[0].ImageID);
        // Other kinds, and KubernetesClient itself, still decode whole objects.
        Assert.NotNull(JsonSerializer.Deserialize<V1Pod>(DeploymentPod, WatchEvents.Options)!.Metadata.ManagedFields);
    }

    [Fact]
    public void A_node_decoded_for_the_informer_has_the_summary_of_the_whole_node()
    {
        const string json = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"worker-3","uid":"7","resourceVersion":"77","creationTimestamp":"2026-11-01T00:00:00Z",
              "labels":{"node-role.kubernetes.io/worker":"","kubernetes.io/role":"ingress","topology.kubernetes.io/zone":"eu-west-1a"},
              "annotations":{"node.alpha.kubernetes.io/ttl":"0"}},
             "spec":{"podCIDR":"10.244.3.0/24","unschedulable":true,"taints":[{"key":"dedicated","value":"gpu","effect":"NoSchedule"},{"key":"node.kubernetes.io/unschedulable","effect":"NoSchedule"}]},
             "status":{"capacity":{"cpu":"8","memory":"32Gi","pods":"110"},"allocatable":{"cpu":"7800m","memory":"31Gi","pods":"110"},
              "conditions":[{"type":"MemoryPressure","status":"True","lastHeartbeatTime":"2026-12-01T10:00:00Z","lastTransitionTime":"2026-12-01T09:00:00Z","reason":"KubeletHasInsufficientMemory"},
               {"type":"Ready","status":"True","lastHeartbeatTime":"2026-12-01T10:00:00Z","lastTransitionTime":"2026-11-01T00:01:00Z","reason":"KubeletReady"}],
              "addresses":[{"type":"InternalIP","address":"10.0.0.3"}],
              "nodeInfo":{"kubeletVersion":"v1.31.2","kernelVersion":"6.1.0","osImage":"Debian GNU/Linux 12","containerRuntimeVersion":"containerd://1.7","machineID":"m","systemUUID":"s","bootID":"b","kubeProxyVersion":"v1.31.2","operatingSystem":"linux","architecture":"amd64"},
              "images":[{"names":["docker.io/shop/web@sha256:aa","docker.io/shop/web:1.4"],"sizeBytes":123456}]}}
            """;
        var whole = KubernetesJson.Deserialize<V1Node>(json);
        var decoded = JsonSerializer.Deserialize<V1Node>(json, WatchedKinds.Nodes.Decoding)!;

        Assert.Equal(Summary(Projections.Node("prod", whole)), Summary(Projections.Node("prod", decoded)));
        Assert.Null(decoded.Status.Images);
    }

    private static string Summary(IFleetObject summary) => JsonSerializer.Serialize(summary, summary.GetType());
}
