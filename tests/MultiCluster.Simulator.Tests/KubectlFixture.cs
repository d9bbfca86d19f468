namespace MultiCluster.Simulator.Tests;

/// <summary>A simulator plus a kubeconfig for it on disk and a private kubectl cache directory.</summary>
public class KubectlFixture : SimulatorFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sim-kubectl-").FullName;

    public Kubectl Kubectl { get; private set; } = null!;

    public string KubeconfigPath => System.IO.Path.Combine(_directory, "config");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host.WriteKubeconfig(KubeconfigPath);
        Kubectl = new Kubectl(KubeconfigPath, System.IO.Path.Combine(_directory, "cache"));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
