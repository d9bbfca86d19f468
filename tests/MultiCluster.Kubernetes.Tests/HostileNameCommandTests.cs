using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;
using MultiCluster.Kubernetes.Triage;
using MultiCluster.Simulator.Faults;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Tests;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>
/// Names the API server does not validate (an event's involved object, a pod's owner reference), chosen by
/// whoever controls a cluster, travel through the rules into the copied kubectl command: bash must hand them to
/// kubectl as the values they are and run nothing else.
/// </summary>
public sealed class HostileNameCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("hostile-names-").FullName;
    private SimulatedTriage _triage = default!;

    private SimulatedCluster Cluster => _triage.Cluster;

    private string Pwned => Path.Combine(_directory, "pwned");

    private IReadOnlyList<ProblemGroup> Rows => _triage.Rows;

    public async Task InitializeAsync() => _triage = await SimulatedTriage.StartAsync("delta", nodes: 1, pods: 2);

    public async Task DisposeAsync()
    {
        await _triage.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_burst_of_warnings_about_a_hostile_name_gives_a_command_for_exactly_that_name()
    {
        var name = $"x;touch {Pwned};#";
        using var client = new k8s.Kubernetes(Cluster.CreateClientConfiguration());
        var now = DateTime.UtcNow;
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "hostile.17a2b3c4d5e6f789" },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = "default", Name = name },
            Type = "Warning", Reason = "BackOff", Message = "Back-off restarting failed container", Count = 20,
            FirstTimestamp = now, LastTimestamp = now,
        }, "default");

        await Eventually.WaitForAsync(() => Rows.Any(r => r.Rule == "warning-burst" && r.Name == name), Settle, "the warning-burst row of the hostile name");
        var row = Rows.Single(r => r.Rule == "warning-burst" && r.Name == name);

        Assert.Equal(
            ["kubectl", "--context", "delta", "-n", "default", "get", "events", "--field-selector", $"involvedObject.kind=Pod,involvedObject.name={name}"],
            await ShellWords.ArgvAsync(TriageCommands.For(row)));
        Assert.False(File.Exists(Pwned));
    }

    [Fact]
    public async Task A_crash_looping_pod_whose_owner_reference_looks_like_a_flag_gives_its_owner_as_the_object()
    {
        // The API server checks an owner reference's kind and name only for being there, and the garbage collector
        // leaves a pod alone while it cannot resolve its owner's kind.
        using var client = new k8s.Kubernetes(Cluster.CreateClientConfiguration());
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "orphan",
                Annotations = new Dictionary<string, string> { [FaultAnnotations.PodFault] = FaultAnnotations.CrashLoopBackOff },
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "v1", Kind = "--as=system:admin", Name = $"$(touch {Pwned})", Uid = "6f1c2f7e-0000-4000-8000-000000000001", Controller = true,
                    },
                ],
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        }, "default");

        await Eventually.WaitForAsync(() => Rows.Any(r => r.Rule == "crash-loop" && r.First.Name == "orphan"), Settle, "the orphan's crash-loop row");
        var row = Rows.Single(r => r.Rule == "crash-loop" && r.First.Name == "orphan");

        Assert.Equal(
            ["kubectl", "--context", "delta", "-n", "default", "logs", "--all-containers", "--previous", "--", $"--as=system:admin/$(touch {Pwned})"],
            await ShellWords.ArgvAsync(TriageCommands.For(row)));
        Assert.False(File.Exists(Pwned));
    }

    [Fact]
    public async Task The_field_selector_in_the_command_finds_the_event_with_commas_and_equals_in_its_name()
    {
        // What kubectl would send (field selectors go to the API server as written): the escaped value finds the event.
        var name = @"a=b,involvedObject.kind=Node\";
        using var client = new k8s.Kubernetes(Cluster.CreateClientConfiguration());
        var now = DateTime.UtcNow;
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "escaped.17a2b3c4d5e6f789" },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = "default", Name = name },
            Type = "Warning", Reason = "BackOff", Message = "m", Count = 20, FirstTimestamp = now, LastTimestamp = now,
        }, "default");
        await Eventually.WaitForAsync(() => Rows.Any(r => r.Rule == "warning-burst" && r.Name == name), Settle, "the warning-burst row");

        var argv = await ShellWords.ArgvAsync(TriageCommands.For(Rows.Single(r => r.Rule == "warning-burst" && r.Name == name)));
        Assert.Equal(["-n", "default", "get", "events", "--field-selector"], argv.Skip(3).Take(5));
        var found = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: argv[^1]);

        Assert.Equal("escaped.17a2b3c4d5e6f789", Assert.Single(found.Items).Metadata.Name);
    }
}
