using k8s.Models;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>A small pod as an API server would send it, for the decoders' tests.</summary>
internal static class TestPods
{
    public static V1Pod Pod(string name, string version, string? note = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name, NamespaceProperty = "default", ResourceVersion = version,
            Annotations = note is null ? null : new Dictionary<string, string> { ["note"] = note },
        },
        Status = new V1PodStatus { Phase = "Running" },
    };
}
