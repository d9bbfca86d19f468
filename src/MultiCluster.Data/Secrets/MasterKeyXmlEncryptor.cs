using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace MultiCluster.Data.Secrets;

/// <summary>
/// Encrypts ASP.NET Core's data-protection keys (which sign cookies) under the master key before they are
/// stored in the registry, so a copy of the database alone cannot forge a session.
/// </summary>
public sealed class MasterKeyXmlEncryptor(IServiceProvider services) : IXmlEncryptor
{
    public const string Purpose = "data-protection-key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var protector = services.GetRequiredService<SecretProtector>();
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with the MultiCluster master key (AES-256-GCM). "),
            new XElement("value", protector.Protect(plaintextElement.ToString(SaveOptions.DisableFormatting), Purpose)));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var protector = services.GetRequiredService<SecretProtector>();
        var value = encryptedElement.Element("value")?.Value ?? throw new SecretUnreadableException("A stored data-protection key has no value.");
        return XElement.Parse(protector.Unprotect(value, MasterKeyXmlEncryptor.Purpose));
    }
}
