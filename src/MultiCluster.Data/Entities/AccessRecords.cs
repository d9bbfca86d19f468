namespace MultiCluster.Data.Entities;

/// <summary>
/// A team, grant or role template as the registry keeps it: its name and generation as columns, the rest as one JSON
/// document (<see cref="Spec"/>), read and written whole. <see cref="AccessStore"/> turns them into <c>Core.Access</c> records.
/// </summary>
public abstract class AccessRecord : ITimestamped
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Grows by one with every saved change; two saves from one generation: the second is refused.</summary>
    public long Generation { get; set; }

    public required string Spec { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class TeamRecord : AccessRecord;

public sealed class AccessGrantRecord : AccessRecord
{
    /// <summary>The team the grant is for (a column, so a team's grants are found without reading every document).</summary>
    public required string Team { get; set; }
}

public sealed class RoleTemplateRecord : AccessRecord;
