using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace MultiCluster.Simulator.Tests;

/// <summary>Field selector values escaped as apimachinery's fields.EscapeValue does (<c>\\</c>, <c>\,</c>, <c>\=</c>), read back as kube-apiserver reads them.</summary>
public sealed class FieldSelectorEscapingTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _client = fixture.CreateClient();

    [Fact]
    public async Task An_escaped_value_matches_the_name_with_commas_equals_and_backslashes()
    {
        // An involved object's name is not validated by the API server, so it can hold the selector's own syntax.
        await _client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "escaping.1" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", NamespaceProperty = "default", Name = @"a=b,c\d" },
            Type = "Warning", Reason = "BackOff", Message = "m",
        }, "default");

        var found = await _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: @"involvedObject.kind=Pod,involvedObject.name=a\=b\,c\\d");

        Assert.Equal("escaping.1", Assert.Single(found.Items).Metadata.Name);
    }

    [Theory]
    [InlineData("involvedObject.name=a=b", "invalid field selector: unescaped character in value: 61")]
    [InlineData(@"involvedObject.name=a\q", @"invalid field selector: invalid escape sequence: \q")]
    [InlineData(@"involvedObject.name=a\", @"invalid field selector: invalid escape sequence: \")]
    [InlineData("involvedObject.name", "can't understand 'involvedObject.name'")]
    public async Task A_value_that_is_not_escaped_properly_is_400_in_kubernetes_words(string selector, string message)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: selector));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
        using var status = JsonDocument.Parse(error.Response.Content);
        Assert.Contains(message, status.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
