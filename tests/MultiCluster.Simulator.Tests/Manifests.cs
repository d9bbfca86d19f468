using k8s.Models;

namespace MultiCluster.Simulator.Tests;

/// <summary>Small objects the tests create.</summary>
public static class Manifests
{
    public static V1ConfigMap ConfigMap(string name, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = new Dictionary<string, string> { ["key"] = "value" },
    };

    public static V1Namespace Namespace(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    public static V1PodSpec PodSpec(string name = "app", string cpu = "50m", string memory = "32Mi") => new()
    {
        Containers =
        [
            new V1Container
            {
                Name = name,
                Image = "nginx:1.27",
                Resources = new V1ResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
                },
            },
        ],
    };

    public static V1Pod Pod(string name, IDictionary<string, string>? labels = null, string cpu = "50m") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = PodSpec(cpu: cpu),
    };

    public static V1Deployment Deployment(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = PodSpec(name),
            },
        },
    };

    public static V1StatefulSet StatefulSet(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = PodSpec(name),
            },
        },
    };
}
