using System.ComponentModel.DataAnnotations;

namespace MultiCluster.Web.VirtualClusters;

/// <summary>Settings of the Virtual clusters page (section <c>VirtualClusters</c>).</summary>
public sealed class VirtualClusterOptions
{
    public const string Section = "VirtualClusters";

    /// <summary>At most this many vClusters on one host (paused ones count); a create beyond it is refused with the figures.</summary>
    [Range(1, 10_000)]
    public int MaxPerHost { get; set; } = 20;

    /// <summary>How long a new vCluster may take to answer through its own API before its creation is undone.</summary>
    [Range(5, 3600)]
    public int StartTimeoutSeconds { get; set; } = 180;

    /// <summary>Host clusters the dashboard runs inside: there it reaches a vCluster at https://&lt;name&gt;.&lt;namespace&gt;:443.</summary>
    public List<string> InsideHosts { get; set; } = [];
}
