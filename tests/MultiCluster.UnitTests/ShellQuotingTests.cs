using MultiCluster.Core;
using MultiCluster.Tests;

namespace MultiCluster.UnitTests;

/// <summary>Any text a cluster sends, quoted, reaches the program as that one argument when bash runs the line.</summary>
public sealed class ShellQuotingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("shell-quoting-").FullName;

    private string Pwned => Path.Combine(_directory, "pwned");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Hostile and awkward names; PWNED stands for a file that must not come to exist.</summary>
    public static TheoryData<string> Hostile =>
    [
        "x;touch PWNED;#",
        "$(touch PWNED)",
        "`touch PWNED`",
        "x && touch PWNED",
        "x | tee PWNED",
        "x > PWNED",
        "x\ntouch PWNED",
        "x\r\ntouch PWNED",
        "'; touch PWNED; '",
        "\"; touch PWNED; \"",
        "it's",
        "\\",
        "a\\b",
        "x\\",
        "x\\'",
        "say \"hi\"",
        "two words",
        "--kubeconfig=/etc/x",
        "-n",
        "--",
        "",
        "ünïcode ☃ 名前",
        "*",
        "a-*",
        "?",
        "[a]",
        "{a,b}",
        "~",
        "~root/x",
        "#x",
        "$HOME",
        "${IFS}",
        "!!",
        "=ls",
        "%1",
        "\t",
        "\u0003touch PWNED",
        "\u001b[201~touch PWNED\n",
        "\u007f",
        "\u0085",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_quoted_value_is_exactly_one_argument_and_runs_nothing(string hostile)
    {
        var value = hostile.Replace("PWNED", Pwned, StringComparison.Ordinal);
        var command = $"kubectl {ShellQuoting.Quote(value)} {ShellQuoting.Quote("next")}";

        Assert.Equal(["kubectl", value, "next"], await ShellWords.ArgvAsync(command));
        Assert.False(File.Exists(Pwned));
        // Pasted into a terminal, a raw control character would be a keystroke (Ctrl-C ends the line early).
        Assert.DoesNotContain(command, char.IsControl);
    }

    [Theory]
    [InlineData("prod-eu-west", "prod-eu-west")]
    [InlineData("deployment/web-7d4b9c-x2x9z", "deployment/web-7d4b9c-x2x9z")]
    [InlineData("involvedObject.kind=Pod,involvedObject.name=web-1", "involvedObject.kind=Pod,involvedObject.name=web-1")]
    [InlineData("user@example.com:8443+x_y", "user@example.com:8443+x_y")]
    [InlineData("/readyz?verbose", "'/readyz?verbose'")]
    [InlineData("", "''")]
    [InlineData("it's", @"'it'\''s'")]
    [InlineData(@"a\b", @"'a'\\'b'")]
    [InlineData("=ls", "'=ls'")]
    [InlineData("a\nb", @"'a'$'\n''b'")]
    [InlineData("\u0003x", @"$'\003''x'")]
    [InlineData("\u0085", @"$'\302\205'")]
    public void Names_kubernetes_allows_stay_bare_and_the_rest_is_quoted(string value, string quoted) =>
        Assert.Equal(quoted, ShellQuoting.Quote(value));

    [Fact]
    public void A_NUL_cannot_be_an_argument_so_it_is_refused_rather_than_cut_short() =>
        Assert.Throws<ArgumentException>(() => ShellQuoting.Quote("web\0; touch x"));

    [Fact]
    public async Task Join_makes_one_argument_of_each_word()
    {
        string[] words = ["kubectl", "--context", "prod", "-n", "a b", "describe", "pod/$(id)"];
        Assert.Equal(words, await ShellWords.ArgvAsync(ShellQuoting.Join(words)));
    }
}
