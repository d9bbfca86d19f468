using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace MultiCluster.Simulator.Tests;

/// <summary>Server-side apply with field ownership, through KubernetesClient and kubectl: what a manager stops applying goes, what others set stays.</summary>
public sealed class ServerSideApplyTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private readonly Kubernetes _client = fixture.CreateClient();

    [Fact]
    public async Task Reapplying_without_a_field_removes_it_and_keeps_what_other_managers_set()
    {
        var ns = await Quotas.NamespaceAsync(_client, "ssa-remove");
        await ApplyAsync(ns, new() { ["pods"] = "10", ["requests.cpu"] = "2" });
        await _client.CoreV1.PatchNamespacedResourceQuotaAsync(
            new V1Patch("{\"metadata\":{\"labels\":{\"team\":\"a\"}},\"spec\":{\"hard\":{\"limits.memory\":\"4Gi\"}}}", V1Patch.PatchType.MergePatch), "policy", ns, fieldManager: "operator");

        var reapplied = await ApplyAsync(ns, new() { ["pods"] = "10" });

        Assert.Equal(["limits.memory", "pods"], reapplied.Spec.Hard.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("a", reapplied.Metadata.Labels["team"]);
        Assert.Equal("multicluster", reapplied.Metadata.Labels["app.kubernetes.io/managed-by"]);
        var entries = reapplied.Metadata.ManagedFields.Select(m => (m.Manager, m.Operation, m.FieldsType)).ToList();
        Assert.Equal([("multicluster", "Apply", "FieldsV1"), ("operator", "Update", "FieldsV1")], entries);
        var applyFields = JsonNode.Parse(KubernetesJson.Serialize(reapplied.Metadata.ManagedFields[0].FieldsV1))!;
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:app.kubernetes.io/managed-by":{}}},"f:spec":{"f:hard":{"f:pods":{}}}}""", applyFields.ToJsonString());
        var updateFields = JsonNode.Parse(KubernetesJson.Serialize(reapplied.Metadata.ManagedFields[1].FieldsV1))!;
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:team":{}}},"f:spec":{"f:hard":{"f:limits.memory":{}}}}""", updateFields.ToJsonString());
    }

    [Fact]
    public async Task Applying_over_another_managers_value_is_a_conflict_unless_forced()
    {
        var ns = await Quotas.NamespaceAsync(_client, "ssa-conflict");
        await ApplyAsync(ns, new() { ["pods"] = "10" });
        await _client.CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch("{\"spec\":{\"hard\":{\"pods\":\"20\"}}}", V1Patch.PatchType.MergePatch), "policy", ns, fieldManager: "operator");

        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => ApplyAsync(ns, new() { ["pods"] = "10" }, force: false));
        var forced = await ApplyAsync(ns, new() { ["pods"] = "10" });

        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        var status = JsonNode.Parse(conflict.Response.Content)!;
        Assert.Equal("Apply failed with 1 conflict: conflict with \"operator\" using v1: .spec.hard.pods", status["message"]!.ToString());
        Assert.Equal("FieldManagerConflict", status["details"]!["causes"]![0]!["type"]!.ToString());
        Assert.Equal("10", forced.Spec.Hard["pods"].ToString());
        Assert.Equal(["multicluster"], forced.Metadata.ManagedFields.Select(m => m.Manager));
    }

    [Fact]
    public async Task Kubectl_shows_managed_fields_and_its_own_reapply_removes_a_dropped_key()
    {
        var kubectl = fixture.Kubectl;
        await kubectl.OkAsync("create namespace ssa-kubectl");
        const string Settings = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata:\n";

        await kubectl.OkAsync("apply --server-side -n ssa-kubectl -f -", Settings + "  mode: fast\n  size: large\n");
        await kubectl.OkAsync("label configmap settings -n ssa-kubectl tier=web");
        var changed = await kubectl.RunAsync("apply --server-side -n ssa-kubectl -f -", Settings + "  mode: slow\n");
        await kubectl.OkAsync("""patch configmap settings -n ssa-kubectl --type=merge -p {\"data\":{\"mode\":\"manual\"}}""");
        var conflicting = await kubectl.RunAsync("apply --server-side -n ssa-kubectl -f -", Settings + "  mode: fast\n");
        var yaml = await kubectl.OkAsync("get configmap settings -n ssa-kubectl -o yaml --show-managed-fields");
        var json = JsonNode.Parse(await kubectl.OkAsync("get configmap settings -n ssa-kubectl -o json"))!;

        Assert.Equal(0, changed.ExitCode);
        Assert.NotEqual(0, conflicting.ExitCode);
        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl-patch\" using v1: .data.mode", conflicting.Error);
        Assert.Equal("""{"mode":"manual"}""", json["data"]!.ToJsonString());
        Assert.Equal("web", json["metadata"]!["labels"]!["tier"]!.ToString());
        Assert.Contains("managedFields:", yaml);
        Assert.Contains("manager: kubectl-label", yaml);
        Assert.Contains("manager: kubectl-patch", yaml);
        Assert.Contains("fieldsType: FieldsV1", yaml);
        Assert.Contains("f:tier: {}", yaml);
    }

    private Task<V1ResourceQuota> ApplyAsync(string ns, Dictionary<string, string> hard, bool force = true) =>
        _client.CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch(new V1ResourceQuota
        {
            ApiVersion = "v1",
            Kind = "ResourceQuota",
            Metadata = new V1ObjectMeta { Name = "policy", Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "multicluster" } },
            Spec = new V1ResourceQuotaSpec { Hard = Quotas.Quantities(hard) },
        }, V1Patch.PatchType.ApplyPatch), "policy", ns, fieldManager: "multicluster", force: force);
}
