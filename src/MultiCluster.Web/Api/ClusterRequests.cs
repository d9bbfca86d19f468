using MultiCluster.Core;
using MultiCluster.Kubernetes.Kubeconfigs;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.Api;

/// <summary>Turns an API request into registrations, with the same messages the register dialog shows.</summary>
public static class ClusterRequests
{
    public static (IReadOnlyList<ClusterRegistration> Registrations, string? Problem) ToRegistrations(RegisterClustersRequest request)
    {
        var labels = request.Labels ?? new Dictionary<string, string>();
        if (request.Kubeconfig is null)
        {
            if (request.Server is null && request.Name is null)
            {
                return ([], "Give either a kubeconfig, or a name, an API server URL and a token.");
            }
            var server = Uri.TryCreate(request.Server?.Trim(), UriKind.Absolute, out var parsed) ? parsed : null;
            return ([new ClusterRegistration((request.Name ?? "").Trim(), request.DisplayName, server, new ClusterCredentials
            {
                Token = string.IsNullOrWhiteSpace(request.Token) ? null : request.Token.Trim(),
                CertificateAuthorityPem = string.IsNullOrWhiteSpace(request.CertificateAuthority) ? null : request.CertificateAuthority.Trim(),
                InsecureSkipTlsVerify = request.InsecureSkipTlsVerify,
            }, labels)], null);
        }

        var kubeconfig = KubeconfigReader.Read(request.Kubeconfig);
        if (kubeconfig.Error is not null)
        {
            return ([], kubeconfig.Error);
        }
        var selections = request.Contexts is { Count: > 0 }
            ? request.Contexts
            : kubeconfig.CurrentContext is { } current
                ? [new KubeconfigContextSelection(current, null)]
                : kubeconfig.Contexts.Count == 1 ? [new KubeconfigContextSelection(kubeconfig.Contexts[0].Name, null)] : null;
        if (selections is null)
        {
            return ([], $"The kubeconfig has {kubeconfig.Contexts.Count} contexts and no current-context; name the ones to register in 'contexts'.");
        }
        var registrations = new List<ClusterRegistration>();
        foreach (var selection in selections)
        {
            var context = kubeconfig.Contexts.FirstOrDefault(c => c.Name == selection.Context);
            if (context is null)
            {
                return ([], $"The kubeconfig has no context named '{selection.Context}'.");
            }
            if (!context.IsUsable)
            {
                return ([], context.Problem ?? $"Context '{context.Name}' cannot be used.");
            }
            registrations.Add(new ClusterRegistration(
                (selection.Name ?? ClusterName.Suggest(context.Name)).Trim(), request.DisplayName ?? context.Name, context.Server, context.Credentials, labels));
        }
        return (registrations, null);
    }
}
