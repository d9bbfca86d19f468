using MultiCluster.Core.Fleet;

namespace MultiCluster.Core.Reconcile;

/// <summary>A summary in the fleet store of a kind the engine writes: the object as the engine compares it.</summary>
public interface IObservedObject : IFleetObject
{
    /// <summary>Labels, the engine's annotations and the owned fields; null when the summary was made without them.</summary>
    ManagedObject? Observed { get; }
}
