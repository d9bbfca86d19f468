using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MultiCluster.Data.Secrets;

/// <summary>A master key setting that stops start-up; the message names the setting.</summary>
public sealed class SecretConfigurationException(string message) : Exception(message);

/// <summary>Builds the key ring from MC_MASTER_KEY, a key file, or (Development only) a generated key file.</summary>
public static partial class MasterKeyLoader
{
    public static MasterKeyRing Load(MasterKeyOptions options, IConfiguration configuration, string dataDirectory, ILogger logger)
    {
        try
        {
            var previous = ParseList(options.PreviousMasterKeys ?? configuration[MasterKeyOptions.PreviousKeysVariable], MasterKeyOptions.PreviousKeysVariable);
            if ((options.MasterKey ?? configuration[MasterKeyOptions.MasterKeyVariable]) is { Length: > 0 } current)
            {
                return new MasterKeyRing(MasterKeyRing.ParseKey(current, MasterKeyOptions.MasterKeyVariable), previous);
            }
            if (options.MasterKeyFile is { Length: > 0 } file)
            {
                return FromFile(file, MasterKeyOptions.MasterKeyFileKey, previous);
            }
            if (options.GenerateInDataDirectory)
            {
                var path = Path.Combine(dataDirectory, MasterKeyOptions.DevelopmentKeyFileName);
                if (!File.Exists(path))
                {
                    Directory.CreateDirectory(dataDirectory);
                    WriteOwnerOnly(path, Convert.ToBase64String(MasterKeyRing.NewKey()) + "\n");
                    LogGenerated(logger, path);
                }
                return FromFile(path, path, previous);
            }
        }
        catch (IOException ex)
        {
            throw new SecretConfigurationException($"The master key file cannot be read or written: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new SecretConfigurationException($"The master key file cannot be read or written: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            throw new SecretConfigurationException(ex.Message);
        }
        throw new SecretConfigurationException(
            $"No master key is configured, and cluster credentials are only ever stored encrypted. Set {MasterKeyOptions.MasterKeyVariable} " +
            $"to 32 random bytes in base64 (openssl rand -base64 32), or {MasterKeyOptions.MasterKeyFileKey} to a file holding it.");
    }

    private static MasterKeyRing FromFile(string path, string source, IReadOnlyList<byte[]> previous)
    {
        var lines = File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        if (lines.Count == 0)
        {
            throw new InvalidOperationException($"{source} holds no key; its first line is the current key in base64.");
        }
        var keys = lines.Select((line, i) => MasterKeyRing.ParseKey(line, $"Line {i + 1} of {source}")).ToList();
        return new MasterKeyRing(keys[0], [.. keys.Skip(1), .. previous]);
    }

    private static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var writer = new StreamWriter(path, options);
        writer.Write(content);
    }

    private static List<byte[]> ParseList(string? text, string source) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => MasterKeyRing.ParseKey(k, source))];

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Generated a development master key at {Path}; keep it with the database, credentials cannot be read without it")]
    private static partial void LogGenerated(ILogger logger, string path);
}
