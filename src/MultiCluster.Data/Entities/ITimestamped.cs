namespace MultiCluster.Data.Entities;

/// <summary>An entity whose creation and last update times are kept by the registry itself.</summary>
public interface ITimestamped
{
    DateTimeOffset CreatedAt { get; set; }

    DateTimeOffset UpdatedAt { get; set; }
}
