using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator;

/// <summary>
/// The command-line tool. A named class rather than top-level statements: the dashboard references this
/// assembly, and two generated public <c>Program</c> classes would collide there.
/// </summary>
public static class SimulatorProgram
{
    public static Task<int> Main(string[] args) => SimulatorCommandLine.RunAsync(args);
}
