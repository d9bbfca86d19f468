using MultiCluster.Core.Access;

namespace MultiCluster.UnitTests;

public sealed class RoleTemplateValidationTests
{
    private static readonly RoleTemplate LogReader = new()
    {
        Name = "log-reader",
        Rules = [new AccessRule { Resources = ["pods", "pods/log"], Verbs = ["get", "list"] }],
        AggregationLabels = new Dictionary<string, string> { ["rbac.authorization.k8s.io/aggregate-to-view"] = "true" },
    };

    [Fact]
    public void A_template_with_verbs_resources_and_valid_labels_has_no_problems() => Assert.Empty(AccessValidation.Validate(LogReader));

    [Fact]
    public void Each_problem_of_a_rule_is_a_sentence_naming_the_rule()
    {
        var template = LogReader with
        {
            Rules =
            [
                new AccessRule { Resources = ["pods"], Verbs = [] },
                new AccessRule { Resources = [], Verbs = ["gett", "list"] },
                new AccessRule { ApiGroups = [], Resources = ["Pods", "deployments/scale"], Verbs = ["*"] },
            ],
        };

        Assert.Equal(
        [
            "Rule 1 names no verb: give at least one, such as get, list or watch.",
            "Rule 2: 'gett' is not a Kubernetes verb; use get, list, watch, create, update, patch, delete, deletecollection, bind, escalate, impersonate, use, approve, sign, or * for every verb.",
            "Rule 2 names no resource: give at least one, such as pods, pods/log or deployments.",
            "Rule 3: 'Pods' is not a resource; resources are lower-case plurals such as pods, pods/log or deployments (and * for all).",
            "Rule 3 names no API group: use the core group (\"\") for pods and services, apps for deployments, or * for every group.",
        ], AccessValidation.Validate(template));
    }

    [Fact]
    public void A_template_without_rules_a_kubernetes_roles_name_or_a_bad_aggregation_label_is_refused_in_words()
    {
        var problems = AccessValidation.Validate(LogReader with { Name = "view", Rules = [], AggregationLabels = new Dictionary<string, string> { ["aggregate to view"] = "true" } });

        Assert.Equal(
        [
            "'view' is not a valid role template name: use at most 60 lower-case letters, digits and '-', and not a Kubernetes role's name.",
            "A role template has at least one rule.",
            "Aggregation label: The label key 'aggregate to view' must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.",
        ], problems);
    }
}
