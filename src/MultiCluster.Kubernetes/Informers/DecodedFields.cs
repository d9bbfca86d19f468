using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MultiCluster.Kubernetes.Informers;

/// <summary>
/// Serializer settings that decode, of each listed model type, only the fields a kind's projection reads: the rest of
/// an object (a node's images and addresses, managedFields) is skipped by the reader, never turned into strings, lists
/// and model objects that are dropped a moment later. Types not listed are decoded whole. Pods, the kind that comes by
/// the hundred thousand, are read by hand instead (<see cref="PodDecoder"/>).
/// </summary>
public static class DecodedFields
{
    /// <summary>KubernetesClient's settings (<see cref="WatchEvents.Options"/>), keeping only <paramref name="fields"/> (JSON names) of each type listed.</summary>
    public static JsonSerializerOptions Only(IReadOnlyDictionary<Type, string[]> fields)
    {
        var options = new JsonSerializerOptions(WatchEvents.Options);
        options.TypeInfoResolver = WatchEvents.Options.TypeInfoResolver!.WithAddedModifier(info =>
        {
            if (!fields.TryGetValue(info.Type, out var kept))
            {
                return;
            }
            for (var i = info.Properties.Count - 1; i >= 0; i--)
            {
                if (!kept.Contains(info.Properties[i].Name, StringComparer.Ordinal))
                {
                    info.Properties.RemoveAt(i);
                }
            }
        });
        options.MakeReadOnly();
        return options;
    }
}
