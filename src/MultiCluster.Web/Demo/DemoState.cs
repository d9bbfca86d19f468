using System.Security.Cryptography;
using System.Text.Json;

namespace MultiCluster.Web.Demo;

/// <summary>
/// What makes the demo clusters the same from one start to the next (tokens, CA), so the credentials the
/// registry stored keep working. Kept owner-only in the data directory, next to the master key.
/// </summary>
public sealed record DemoState(Dictionary<string, string> Tokens, string CertificateAuthorityPem, string CertificateAuthorityKeyPem)
{
    public const string FileName = "demo-clusters.json";

    public static DemoState? Load(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<DemoState>(File.ReadAllText(path)) : null;
    }

    public void Save(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var writer = new StreamWriter(path, options);
        writer.Write(JsonSerializer.Serialize(this));
    }

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
