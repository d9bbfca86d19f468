namespace MultiCluster.Data;

/// <summary>The registry database cannot be used; the message says why and which setting to check.</summary>
public sealed class RegistryUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
