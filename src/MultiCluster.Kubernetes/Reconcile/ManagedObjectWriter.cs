using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// The apply step of the engine for one target: server-side apply with the field manager <c>multicluster</c>, never
/// over an object of that name that is not ours, and deletion only of what carries our labels (checked against the
/// very version deleted). Each call says how the target stands afterwards, in the engine's vocabulary.
/// </summary>
public static class ManagedObjectWriter
{
    public const string FieldManager = ManagedKind.FieldManager;

    /// <summary>Writes <paramref name="desired"/> unless a foreign object holds its name; the target's state after the attempt.</summary>
    public static async Task<TargetState> ApplyAsync(IKubernetes client, ManagedObject desired, string ownerKind, CancellationToken cancellationToken = default) =>
        (await TryApplyAsync(client, desired, ownerKind, cancellationToken)).State;

    /// <summary>
    /// As <see cref="ApplyAsync"/>, also saying what the cluster wrote (null when nothing was) and, when it refused,
    /// how long it asked to be left alone (429 and 503 Retry-After).
    /// </summary>
    public static async Task<WriteResult> TryApplyAsync(IKubernetes client, ManagedObject desired, string ownerKind, CancellationToken cancellationToken = default)
    {
        try
        {
            var actual = await ReadAsync(client, desired.Cluster, desired.Kind, desired.Namespace, desired.Name, cancellationToken);
            if (actual is not null && actual.Owner(ownerKind) != desired.Owner(ownerKind))
            {
                return new WriteResult(TargetDiff.Judge(desired, actual, ownerKind, reachable: true, written: false), null, null);
            }
            var patch = new V1Patch(ManagedKubernetesObjects.ToKubernetes(desired), V1Patch.PatchType.ApplyPatch);
            var written = await ManagedKind.Of(desired.Kind).Apply(client, patch, desired.Name, desired.Namespace, cancellationToken);
            var observed = ManagedKubernetesObjects.FromKubernetes(desired.Cluster, written);
            return new WriteResult(TargetDiff.Judge(desired, observed, ownerKind, reachable: true, written: true), observed, null);
        }
        catch (HttpOperationException ex)
        {
            return new WriteResult(TargetState.Of(TargetStatus.Error, KubernetesStatus.MessageOf(ex)), null, KubernetesStatus.RetryAfter(ex));
        }
    }

    /// <summary>What the cluster holds under that name, in the engine's terms, or null.</summary>
    public static async Task<ManagedObject?> ReadAsync(IKubernetes client, string cluster, string kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        await GetAsync(client, kind, ns, name, cancellationToken) is { } item ? ManagedKubernetesObjects.FromKubernetes(cluster, item) : null;

    /// <summary>The object of one of the engine's kinds under that name, or null.</summary>
    private static async Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(IKubernetes client, string kind, string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await ManagedKind.Of(kind).Read(client, name, ns, cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Deletes the object when it carries <paramref name="owner"/>'s labels; the delete names the version that was
    /// checked, so an object changed in between (relabelled, replaced) is looked at again rather than deleted blindly.
    /// Controllers write status all the time (a quota's usage), so a moved version is read again, a few times. False
    /// when there was nothing of ours.
    /// </summary>
    public static async Task<bool> DeleteIfOursAsync(IKubernetes client, string kind, string? ns, string name, string ownerKind, string owner, CancellationToken cancellationToken = default)
    {
        const int Attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await GetAsync(client, kind, ns, name, cancellationToken) is not { } item
                    || ManagedLabels.OwnerOf(new Dictionary<string, string>(item.Metadata.Labels ?? new Dictionary<string, string>()), ownerKind) != owner)
                {
                    return false;
                }
                var metadata = item.Metadata;
                var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = metadata.Uid, ResourceVersion = metadata.ResourceVersion } };
                await ManagedKind.Of(kind).Delete(client, name, ns, options, cancellationToken);
                return true;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return false;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                // The version moved since it was checked: check again, or leave it to the next pass.
                if (attempt >= Attempts)
                {
                    return false;
                }
            }
        }
    }
}

/// <summary>How a write went: the target's state after it, the object the cluster returned, and a refusal's Retry-After.</summary>
public sealed record WriteResult(TargetState State, ManagedObject? Written, TimeSpan? RetryAfter);

/// <summary>What an API server said when it refused a request, in its own words (the Status message), never a raw body.</summary>
public static class KubernetesStatus
{
    /// <summary>The Retry-After of a 429 or 503 answer (seconds, as kube-apiserver sends it), or null.</summary>
    public static TimeSpan? RetryAfter(HttpOperationException ex) =>
        (int)ex.Response.StatusCode is 429 or 503
        && ex.Response.Headers.TryGetValue("Retry-After", out var values)
        && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(Math.Min(seconds, 600))
            : null;

    public static string MessageOf(HttpOperationException ex)
    {
        try
        {
            if (ex.Response.Content is { Length: > 0 } content && KubernetesJson.Deserialize<V1Status>(content).Message is { Length: > 0 } message)
            {
                return message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return $"The API server refused the request ({(int)ex.Response.StatusCode} {ex.Response.StatusCode}).";
    }
}
