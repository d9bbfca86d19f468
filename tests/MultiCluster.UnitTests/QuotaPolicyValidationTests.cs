using MultiCluster.Core;
using MultiCluster.Core.Quotas;

namespace MultiCluster.UnitTests;

public sealed class QuotaPolicyValidationTests
{
    private static readonly QuotaPolicy Good = new()
    {
        Name = "team-defaults",
        ClusterSelector = "env=prod",
        NamespacePatterns = ["team-*"],
        Hard = new Dictionary<string, string> { ["requests.cpu"] = "20", ["requests.memory"] = "40Gi", ["pods"] = "100", ["count/configmaps"] = "50" },
        Limits = [new LimitRangeItem { Type = LimitRangeItem.Container, Default = D(("cpu", "1"), ("memory", "512Mi")), DefaultRequest = D(("cpu", "100m"), ("memory", "128Mi")) }],
    };

    [Fact]
    public void A_sound_policy_has_no_problem() => Assert.Empty(QuotaPolicyValidation.Validate(Good));

    [Theory]
    [InlineData("20")]
    [InlineData("1.5")]
    [InlineData("250m")]
    [InlineData("40Gi")]
    [InlineData("1e3")]
    [InlineData("2E")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("+3k")]
    public void Kubernetes_quantities_are_accepted(string quantity) => Assert.True(Quantities.IsValid(quantity));

    [Theory]
    [InlineData("")]
    [InlineData("20 cores")]
    [InlineData("1GB")]
    [InlineData("1.2.3")]
    [InlineData("Gi")]
    [InlineData("1e")]
    [InlineData("0x10")]
    public void Other_text_is_not_a_quantity(string quantity) => Assert.False(Quantities.IsValid(quantity));

    [Fact]
    public void Hard_limits_are_checked_with_kube_apiservers_words()
    {
        var problems = QuotaPolicyValidation.Validate(Good with { Hard = new Dictionary<string, string> { ["requests.cpu"] = "twenty", ["cores"] = "2", ["pods"] = "-1" } });

        Assert.Equal(
        [
            "spec.hard[cores]: Invalid value: \"cores\": must be a standard resource for quota",
            "spec.hard[pods]: Invalid value: \"-1\": must be greater than or equal to 0",
            "spec.hard[requests.cpu]: Invalid value: \"twenty\": " + Quantities.GrammarMessage,
        ], problems);
    }

    [Theory]
    [InlineData("count/deployments.apps")]
    [InlineData("count/widgets.example.com")]
    [InlineData("services.loadbalancers")]
    [InlineData("gold.storageclass.storage.k8s.io/requests.storage")]
    [InlineData("requests.nvidia.com/gpu")]
    [InlineData("requests.hugepages-2Mi")]
    public void Every_kind_of_quota_resource_is_known(string resource) => Assert.True(QuotaPolicyValidation.IsQuotaResource(resource));

    [Fact]
    public void A_limit_range_that_contradicts_itself_gets_the_message_kube_apiserver_gives()
    {
        var limits = new LimitRangeItem
        {
            Type = LimitRangeItem.Container,
            Min = D(("cpu", "100m")),
            Max = D(("cpu", "2"), ("memory", "1Gi")),
            Default = D(("cpu", "500m"), ("memory", "2Gi")),
            DefaultRequest = D(("cpu", "800m")),
            MaxLimitRequestRatio = D(("cpu", "30")),
        };

        var problems = QuotaPolicyValidation.Validate(Good with { Limits = [limits] });

        Assert.Equal(
        [
            "spec.limits[0].defaultRequest[cpu]: Invalid value: \"800m\": default request value 800m is greater than default limit value 500m",
            "spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: \"30\": ratio 30 is greater than max/min = 20.000000",
            "spec.limits[0].default[memory]: Invalid value: \"1Gi\": default value 2Gi is greater than max value 1Gi",
        ], problems);
    }

    [Fact]
    public void Pod_items_take_no_defaults_and_claim_items_need_a_storage_bound()
    {
        var problems = QuotaPolicyValidation.Validate(Good with
        {
            Limits =
            [
                new LimitRangeItem { Type = LimitRangeItem.Pod, Default = D(("cpu", "1")), Max = D(("cpu", "4")) },
                new LimitRangeItem { Type = LimitRangeItem.PersistentVolumeClaim, Max = D(("cpu", "1")) },
            ],
        });

        Assert.Equal(
        [
            "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
            "spec.limits[1].limits: Required value: either minimum or maximum storage value is required, but neither was provided",
        ], problems);
    }

    [Fact]
    public void Names_selectors_and_patterns_are_checked()
    {
        var problems = QuotaPolicyValidation.Validate(Good with { Name = "Team_Defaults", ClusterSelector = "env in prod", Clusters = ["prod-1"], NamespacePatterns = ["team_*"] });

        Assert.Equal(4, problems.Count);
        Assert.StartsWith("'Team_Defaults' is not a valid policy name", problems[0], StringComparison.Ordinal);
        Assert.Equal("Choose clusters by a selector or by name, not both.", problems[1]);
        Assert.StartsWith("Cluster selector: 'env in prod': write the values in parentheses", problems[2], StringComparison.Ordinal);
        Assert.StartsWith("'team_*' is not a namespace name or pattern", problems[3], StringComparison.Ordinal);
    }

    private static Dictionary<string, string> D(params (string Key, string Value)[] values) => values.ToDictionary(v => v.Key, v => v.Value);
}
