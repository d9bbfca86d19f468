using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>A parsed field selector (=, ==, != on the fields a kind indexes).</summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> _requirements = [];

    public static readonly FieldSelector Everything = new();

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(StoredObject obj) =>
        _requirements.TrueForAll(r => (FieldIndex.Get(obj, r.Field) == r.Value) == r.Equal);

    /// <summary>The namespace a metadata.namespace= requirement pins, to narrow an all-namespaces list.</summary>
    public string? Namespace => _requirements.FirstOrDefault(r => r.Field == "metadata.namespace" && r.Equal).Value;

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (op, index) = part.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? ("!=", ne)
                : part.IndexOf("==", StringComparison.Ordinal) is var eq2 and > 0 ? ("==", eq2)
                : ("=", part.IndexOf('='));
            if (index <= 0)
            {
                throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            }
            var field = part[..index].Trim();
            if (!FieldIndex.Supports(type, field))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }
            selector._requirements.Add((field, part[(index + op.Length)..].Trim(), op != "!="));
        }
        return selector;
    }
}
