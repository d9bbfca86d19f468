using System.Text;
using MultiCluster.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiCluster.Kubernetes.Kubeconfigs;

/// <summary>
/// Reads an uploaded kubeconfig as data, never as instructions: nothing in it makes the server run a
/// command or open a file. Every refusal says where (line, column), what, and what to do instead.
/// </summary>
public static class KubeconfigReader
{
    public const int MaxBytes = 1024 * 1024;

    public static KubeconfigReadResult Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return KubeconfigReadResult.Failed("The kubeconfig is empty; paste or upload the file kubectl uses (usually ~/.kube/config).");
        }
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxBytes)
        {
            return KubeconfigReadResult.Failed($"The kubeconfig is {bytes / 1024.0 / 1024.0:0.0} MB; the limit is 1 MB. Export only the contexts you need (kubectl config view --minify --flatten).");
        }
        if (YamlSafety.Check(text) is { } unsafeYaml)
        {
            return KubeconfigReadResult.Failed(unsafeYaml.StartsWith("The kubeconfig", StringComparison.Ordinal) ? unsafeYaml : YamlNodes.Capitalized(unsafeYaml));
        }
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                return KubeconfigReadResult.Failed("The kubeconfig must be a YAML mapping with clusters, users and contexts.");
            }
            return Read(root);
        }
        catch (YamlException ex)
        {
            return KubeconfigReadResult.Failed(YamlSafety.Describe(ex));
        }
        catch (KubeconfigFormatException ex)
        {
            return KubeconfigReadResult.Failed(ex.Message);
        }
    }

    private static KubeconfigReadResult Read(YamlMappingNode root)
    {
        if (root.String("kind", "the kubeconfig") is { } kind && kind != "Config")
        {
            throw YamlNodes.Wrong(root.Get("kind")!, $"this is a Kubernetes '{kind}' object, not a kubeconfig (kind: Config).");
        }
        if (root.String("apiVersion", "the kubeconfig") is { } apiVersion && apiVersion != "v1")
        {
            throw YamlNodes.Wrong(root.Get("apiVersion")!, $"kubeconfig apiVersion '{apiVersion}' is not supported; use v1.");
        }
        var clusters = Named(root, "clusters", "cluster", KubeconfigEntries.ReadCluster);
        var users = Named(root, "users", "user", KubeconfigEntries.ReadUser);
        var contexts = new List<KubeconfigContext>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in root.ListOfMappings("contexts"))
        {
            var name = EntryName(entry, "context");
            if (!seen.Add(name))
            {
                throw YamlNodes.Wrong(entry, $"two contexts are named '{name}'; context names must be unique.");
            }
            var body = entry.Mapping("context", $"context '{name}'")
                ?? throw YamlNodes.Wrong(entry, $"context '{name}' has no context: section naming its cluster and user.");
            contexts.Add(Resolve(name, body, clusters, users));
        }
        if (contexts.Count == 0)
        {
            return KubeconfigReadResult.Failed("The kubeconfig has no contexts; a context names the cluster and the user to register.");
        }
        return new KubeconfigReadResult(contexts, root.String("current-context", "the kubeconfig"), null);
    }

    private static KubeconfigContext Resolve(
        string name, YamlMappingNode body,
        IReadOnlyDictionary<string, KubeconfigEntries.Cluster> clusters, IReadOnlyDictionary<string, KubeconfigEntries.User> users)
    {
        var clusterName = body.String("cluster", $"context '{name}'") ?? "";
        var userName = body.String("user", $"context '{name}'") ?? "";
        var ns = body.String("namespace", $"context '{name}'");
        var cluster = clusters.GetValueOrDefault(clusterName);
        var user = users.GetValueOrDefault(userName);
        var problem =
            clusterName.Length == 0 ? $"Context '{name}' names no cluster." :
            cluster is null ? $"Context '{name}' uses cluster '{clusterName}', which the kubeconfig does not define." :
            userName.Length == 0 ? $"Context '{name}' names no user." :
            user is null ? $"Context '{name}' uses user '{userName}', which the kubeconfig does not define." :
            cluster.Problem ?? user.Problem;
        if (problem is not null || cluster is null || user is null)
        {
            return new KubeconfigContext(name, clusterName, userName, cluster?.Server, ns, null, problem);
        }
        var credentials = user.Credentials with
        {
            CertificateAuthorityPem = cluster.CertificateAuthorityPem,
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            TlsServerName = cluster.TlsServerName,
        };
        return new KubeconfigContext(name, clusterName, userName, cluster.Server, ns, credentials, null);
    }

    private static Dictionary<string, T> Named<T>(YamlMappingNode root, string listKey, string bodyKey, Func<string, YamlMappingNode, T> read)
    {
        var entries = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in root.ListOfMappings(listKey))
        {
            var name = EntryName(entry, bodyKey);
            var body = entry.Mapping(bodyKey, $"{bodyKey} '{name}'") ?? new YamlMappingNode();
            if (!entries.TryAdd(name, read(name, body)))
            {
                throw YamlNodes.Wrong(entry, $"two {listKey} are named '{name}'; names must be unique.");
            }
        }
        return entries;
    }

    private static string EntryName(YamlMappingNode entry, string kind) =>
        entry.String("name", $"a {kind} entry") is { Length: > 0 } name
            ? name
            : throw YamlNodes.Wrong(entry, $"a {kind} entry has no name.");
}
