namespace MultiCluster.Data.Secrets;

/// <summary>
/// Where the master keys that encrypt cluster credentials come from. Bound from <c>Secrets</c>, with
/// <c>MC_MASTER_KEY</c> and <c>MC_PREVIOUS_MASTER_KEYS</c> as the short environment spellings.
/// </summary>
public sealed class MasterKeyOptions
{
    public const string Section = "Secrets";
    public const string MasterKeyVariable = "MC_MASTER_KEY";
    public const string PreviousKeysVariable = "MC_PREVIOUS_MASTER_KEYS";
    public const string MasterKeyFileKey = "Secrets:MasterKeyFile";
    public const string DevelopmentKeyFileName = "master.key";

    /// <summary>The current key: 32 random bytes, base64 (<c>openssl rand -base64 32</c>).</summary>
    public string? MasterKey { get; set; }

    /// <summary>Older keys, comma-separated, still accepted for reading until records are re-encrypted.</summary>
    public string? PreviousMasterKeys { get; set; }

    /// <summary>A file whose first key line is the current key and whose other lines are previous keys.</summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>Set by the app in Development: generate a key file in the data directory when no key is configured.</summary>
    public bool GenerateInDataDirectory { get; set; }
}
