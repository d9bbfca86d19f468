using MultiCluster.Core;
using MultiCluster.Kubernetes.Kubeconfigs;

namespace MultiCluster.Web.Clusters;

/// <summary>The kubeconfig half of the register dialog: read the text, pick contexts, name them.</summary>
public sealed class KubeconfigImport
{
    public string Text { get; set; } = "";

    public string? Error { get; private set; }

    public IReadOnlyList<ContextChoice> Contexts { get; private set; } = [];

    public bool HasSelection => Contexts.Any(c => c.Selected);

    public void Read()
    {
        var result = KubeconfigReader.Read(Text);
        Error = result.Error;
        Contexts = result.Contexts
            .Select(c => new ContextChoice(c)
            {
                Name = ClusterName.Suggest(c.Name),
                // The current context is what kubectl would use; with a single usable context, take it.
                Selected = c.IsUsable && (c.Name == result.CurrentContext || result.Contexts.Count(x => x.IsUsable) == 1),
            })
            .ToList();
    }

    public IReadOnlyList<ClusterRegistration> Registrations(IReadOnlyDictionary<string, string> labels) =>
        Contexts
            .Where(c => c.Selected && c.Context.IsUsable)
            .Select(c => new ClusterRegistration(c.Name.Trim(), c.Context.Name, c.Context.Server, c.Context.Credentials, labels))
            .ToList();
}

/// <summary>One context of the kubeconfig as the user sees it: selectable when usable, with the name it will get.</summary>
public sealed class ContextChoice(KubeconfigContext context)
{
    public KubeconfigContext Context { get; } = context;

    public bool Selected { get; set; }

    public string Name { get; set; } = "";
}
