namespace MultiCluster.Web.Demo;

/// <summary><c>Demo</c>: simulated clusters for a first look, on by default in Development only.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary><c>Demo:Enabled</c>; unset means "in Development".</summary>
    public bool? Enabled { get; set; }

    /// <summary><c>Demo:People</c>: the demo's teams and people (pat, mia); false leaves them out.</summary>
    public bool People { get; set; } = true;

    /// <summary><c>Demo:VirtualClusters</c>: the demo's two vClusters on dev (sandbox runs, preview is paused); false leaves them out.</summary>
    public bool VirtualClusters { get; set; } = true;

    /// <summary><c>Demo:Port</c>: the first of three loopback ports the demo clusters listen on.</summary>
    public int Port { get; set; } = 16443;
}
