using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Components.Tests;

/// <summary>The YAML the editor shows, and the form it is typed into (pure classes, no rendering).</summary>
public sealed class QuotaYamlTests
{
    [Fact]
    public void A_policy_becomes_the_ResourceQuota_and_LimitRange_the_engine_writes()
    {
        var policy = new QuotaPolicy
        {
            Name = "team",
            Hard = new Dictionary<string, string> { ["requests.cpu"] = "20", ["requests.memory"] = "64Gi", ["pods"] = "100" },
            Scopes = ["NotTerminating"],
            Limits =
            [
                new LimitRangeItem
                {
                    Type = LimitRangeItem.Container,
                    Default = new Dictionary<string, string> { ["cpu"] = "500m", ["memory"] = "512Mi" },
                    DefaultRequest = new Dictionary<string, string> { ["cpu"] = "250m" },
                    MaxLimitRequestRatio = new Dictionary<string, string> { ["cpu"] = "4" },
                },
                new LimitRangeItem { Type = LimitRangeItem.PersistentVolumeClaim, Max = new Dictionary<string, string> { ["storage"] = "50Gi" } },
            ],
        };

        Assert.Equal("""
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: mc-team
              labels:
                app.kubernetes.io/managed-by: multicluster
                multicluster.io/policy: team
            spec:
              hard:
                pods: "100"
                requests.cpu: "20"
                requests.memory: 64Gi
              scopes:
              - NotTerminating
            ---
            apiVersion: v1
            kind: LimitRange
            metadata:
              name: mc-team
              labels:
                app.kubernetes.io/managed-by: multicluster
                multicluster.io/policy: team
            spec:
              limits:
              - type: Container
                default:
                  cpu: 500m
                  memory: 512Mi
                defaultRequest:
                  cpu: 250m
                maxLimitRequestRatio:
                  cpu: "4"
              - type: PersistentVolumeClaim
                max:
                  storage: 50Gi

            """.ReplaceLineEndings("\n"), QuotaYaml.Of(policy));
    }

    [Fact]
    public void A_policy_without_limits_writes_no_LimitRange()
    {
        var yaml = QuotaYaml.Of(new QuotaPolicy { Name = "pods", Hard = new Dictionary<string, string> { ["pods"] = "10" } });

        Assert.DoesNotContain("LimitRange", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("---", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500m", "500m")]
    [InlineData("1Gi", "1Gi")]
    [InlineData("20", "\"20\"")]
    [InlineData("1.5", "\"1.5\"")]
    [InlineData("1e3", "\"1e3\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("20x: y", "\"20x: y\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("", "\"\"")]
    public void Scalars_are_quoted_only_when_YAML_would_read_them_as_something_else(string value, string expected) =>
        Assert.Equal(expected, QuotaYaml.Scalar(value));

    [Fact]
    public void The_form_round_trips_a_stored_policy_without_losing_what_it_does_not_show()
    {
        var policy = new QuotaPolicy
        {
            Name = "team", Description = "teams", Mode = PolicyMode.Inform, Priority = 3, Clusters = ["prod-eu", "prod-us"], NamespacePatterns = ["team-*", "shop"],
            NamespaceSelector = "tier=web", Hard = new Dictionary<string, string> { ["pods"] = "10" }, Scopes = ["BestEffort"], Generation = 4,
            Limits =
            [
                new LimitRangeItem { Type = LimitRangeItem.Container, Default = new Dictionary<string, string> { ["ephemeral-storage"] = "1Gi" } },
                new LimitRangeItem { Type = LimitRangeItem.Pod, Min = new Dictionary<string, string> { ["cpu"] = "10m" } },
            ],
        };

        var form = QuotaPolicyForm.Edit(policy);
        var back = form.ToPolicy();

        Assert.Equal(4, form.Generation);
        Assert.Empty(form.Problems());
        Assert.Equal(QuotaPolicyStoreText(policy), QuotaPolicyStoreText(back));
        Assert.Contains("min", form.Pod.Fields);
        Assert.Contains(form.Container.Rows, r => r.Resource == "ephemeral-storage");
    }

    [Fact]
    public void The_form_names_its_own_slips_before_the_API_servers()
    {
        var form = QuotaPolicyForm.Create();
        form.Name = "team";
        form.ClustersByName = true;
        form.Hard[0].Quantity = "5";
        form.Hard.Add(new HardLimit { Resource = "pods", Quantity = "1" });
        form.Hard.Add(new HardLimit { Resource = "pods", Quantity = "2" });

        Assert.Equal(
        [
            "Pick at least one cluster, or choose clusters by their labels.",
            "The hard limit 5 names no resource: write one such as requests.cpu or pods.",
            "The hard limit pods is given 2 times; give each resource once.",
        ], form.Problems());
    }

    private static string QuotaPolicyStoreText(QuotaPolicy policy) => MultiCluster.Data.QuotaPolicyStore.Describe(policy) + $" {policy.Description} {policy.Generation}";
}
