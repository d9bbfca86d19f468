using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>What summaries share instead of holding a copy each: strings, label lists, and the informers' resourceVersions.</summary>
public sealed class StringPoolTests
{
    [Fact]
    public void Pods_of_one_template_share_one_label_list_and_others_keep_their_own()
    {
        var pool = new StringPool();
        Dictionary<string, string> Labels(string app, string hash) => new() { ["app"] = app, ["pod-template-hash"] = hash };

        var first = pool.Share(Labels("web", "7d4b9c"));
        var second = pool.Share(Labels("web", "7d4b9c"));
        var otherHash = pool.Share(Labels("web", "5f6a1e"));
        var otherOrder = pool.Share(new Dictionary<string, string> { ["pod-template-hash"] = "7d4b9c", ["app"] = "web" });

        Assert.Same(first, second);
        Assert.Equal([new("app", "web"), new("pod-template-hash", "7d4b9c")], first);
        Assert.NotSame(first, otherHash);
        Assert.Equal([new("app", "web"), new("pod-template-hash", "5f6a1e")], otherHash);
        // Another order is another list (objects of one template list their labels alike); its labels are still right.
        Assert.Equal([new("pod-template-hash", "7d4b9c"), new("app", "web")], otherOrder);
        // Each label's strings are the pool's, even when the object's were its own copies.
        var copied = pool.Share(new Dictionary<string, string> { [new string("app".AsSpan())] = new string("web".AsSpan()), ["tier"] = "front" });
        Assert.Same(first[0].Key, copied[0].Key);
        Assert.Same(first[0].Value, copied[0].Value);
        Assert.Empty(pool.Share((IDictionary<string, string>?)null));
        Assert.Empty(pool.Share(new Dictionary<string, string>()));
    }

    [Fact]
    public void A_full_pool_still_gives_the_labels_only_not_shared()
    {
        var pool = new StringPool(capacity: 1);
        var first = pool.Share(new Dictionary<string, string> { ["app"] = "a" });
        var second = pool.Share(new Dictionary<string, string> { ["app"] = "b" });
        var again = pool.Share(new Dictionary<string, string> { ["app"] = "b" });

        Assert.Equal([new("app", "a")], first);
        Assert.Equal([new("app", "b")], second);
        Assert.Equal(second, again);
        Assert.NotSame(second, again);
    }

    [Theory]
    [InlineData("812", "812", true)]
    [InlineData("812", "813", false)]
    [InlineData("812", "0812", false)]
    [InlineData("0", "0", true)]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abd", false)]
    [InlineData("123456789012345678901", "123456789012345678901", true)]
    [InlineData("123456789012345678901", "123456789012345678902", false)]
    [InlineData("-5", "5", false)]
    [InlineData(" 5", "5", false)]
    [InlineData("812\0", "812", false)]
    [InlineData("812 ", "812", false)]
    [InlineData("999999999999999999", "999999999999999999", true)]
    [InlineData("", "", true)]
    public void ResourceVersions_are_equal_exactly_when_their_text_is(string a, string b, bool equal)
    {
        Assert.Equal(equal, KnownVersion.Of(a) == KnownVersion.Of(b));
    }

    [Fact]
    public void A_plain_resourceVersion_is_kept_as_a_number_not_a_string()
    {
        Assert.Equal(new KnownVersion(812, null), KnownVersion.Of("812"));
        Assert.Equal(new KnownVersion(-1, "0812"), KnownVersion.Of("0812"));
        Assert.Equal(KnownVersion.Of(null), KnownVersion.Of(""));
    }
}
