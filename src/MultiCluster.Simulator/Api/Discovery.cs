using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>The legacy discovery documents (/version, /api, /apis, group versions) that kubectl and clients read first.</summary>
public static class Discovery
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly HashSet<string> InCategoryAll = ["pods", "services", "deployments", "replicasets", "statefulsets"];

    public static JsonObject Version(string gitVersion)
    {
        var parts = gitVersion.TrimStart('v').Split('.');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts.ElementAtOrDefault(1) ?? "0",
            ["gitVersion"] = gitVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-01-01T00:00:00Z",
            ["goVersion"] = "go1.23.6",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. ResourceCatalog.Groups.Select(g => (JsonNode)Group(g))]),
    };

    public static JsonObject Group(string group)
    {
        var version = new JsonObject { ["groupVersion"] = $"{group}/v1", ["version"] = "v1" };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(version),
            ["preferredVersion"] = version.DeepClone(),
        };
    }

    public static JsonObject? ResourceList(string group, string version)
    {
        var types = ResourceCatalog.InGroupVersion(group, version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var type in types)
        {
            var resource = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = type.IsReview ? new JsonArray("create")
                    : new JsonArray([.. AllVerbs.Where(v => type != ResourceCatalog.Namespaces || v != "deletecollection").Select(v => (JsonNode)v)]),
            };
            if (type.ShortNames.Length > 0)
            {
                resource["shortNames"] = new JsonArray([.. type.ShortNames.Select(s => (JsonNode)s)]);
            }
            if (InCategoryAll.Contains(type.Plural))
            {
                resource["categories"] = new JsonArray("all");
            }
            resources.Add(resource);
            foreach (var subresource in type.Subresources)
            {
                resources.Add(Subresource(type, subresource));
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceType type, string subresource)
    {
        var entry = new JsonObject
        {
            ["name"] = $"{type.Plural}/{subresource}",
            ["singularName"] = "",
            ["namespaced"] = type.Namespaced,
        };
        if (subresource == "scale")
        {
            entry["group"] = "autoscaling";
            entry["version"] = "v1";
            entry["kind"] = "Scale";
        }
        else
        {
            entry["kind"] = subresource == "log" ? "Pod" : type.Kind;
        }
        entry["verbs"] = subresource == "log" ? new JsonArray("get") : new JsonArray("get", "patch", "update");
        return entry;
    }
}
