namespace MultiCluster.Deploy.Tests;

/// <summary>Files of the repository this test was built from (the deployment files are read where they are kept).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MultiCluster.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException($"No MultiCluster.sln above {AppContext.BaseDirectory}.");
    }
}
