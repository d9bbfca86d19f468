using MultiCluster.Core.Fleet;

namespace MultiCluster.UnitTests;

/// <summary>A pod summary keeps its instants in 8 bytes each; what it gives back is what it was given.</summary>
public sealed class PodSummaryTests
{
    [Fact]
    public void Instants_come_back_as_the_same_instants_and_none_stays_none()
    {
        var created = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var restartedElsewhere = new DateTimeOffset(2026, 12, 1, 12, 30, 0, TimeSpan.FromHours(2));

        var pod = new PodSummary { Cluster = "prod", Namespace = "web", Name = "a", CreatedAt = created, LastRestartAt = restartedElsewhere };
        var plain = new PodSummary { Cluster = "prod", Namespace = "web", Name = "b" };

        Assert.Equal(created, pod.CreatedAt);
        Assert.Equal(TimeSpan.Zero, pod.CreatedAt!.Value.Offset);
        Assert.Equal(restartedElsewhere, pod.LastRestartAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 30, 0, TimeSpan.Zero), pod.LastRestartAt);
        Assert.Null(plain.CreatedAt);
        Assert.Null(plain.LastRestartAt);
        Assert.Equal(DateTimeOffset.MinValue, (plain with { CreatedAt = DateTimeOffset.MinValue }).CreatedAt);
        Assert.Null((pod with { LastRestartAt = null }).LastRestartAt);
    }

    [Fact]
    public void Summaries_are_equal_when_their_instants_are_the_same_instants()
    {
        var pod = new PodSummary { Cluster = "prod", Namespace = "web", Name = "a", CreatedAt = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero) };

        Assert.Equal(pod, pod with { CreatedAt = new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.FromHours(1)) });
        Assert.NotEqual(pod, pod with { CreatedAt = new DateTimeOffset(2026, 12, 1, 10, 0, 1, TimeSpan.Zero) });
        Assert.NotEqual(pod, pod with { CreatedAt = null });
    }
}
