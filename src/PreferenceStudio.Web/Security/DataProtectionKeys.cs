using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Security;

/// <summary>
/// Where the keys that protect sign-in cookies and form tokens live, and how they are protected at rest
/// (configuration section "DataProtection").
/// </summary>
public sealed class DataProtectionKeyOptions
{
    /// <summary>A PKCS#12 (.pfx) file with a certificate and its private key; when set, keys are stored encrypted with it.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Certificates that encrypted keys before a rotation: they still decrypt, they encrypt nothing new.</summary>
    public List<string> PreviousCertificatePaths { get; set; } = [];
}

public static class DataProtectionKeys
{
    /// <summary>
    /// Keys in PostgreSQL, so a cookie or form token made by one web node is read by any other. Without a certificate
    /// they are stored as plain XML (the database's access control is then their only protection, and the log says so
    /// at start); with DataProtection:CertificatePath set they are encrypted with that certificate.
    /// </summary>
    public static IHostApplicationBuilder AddDataProtectionKeys(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("DataProtection").Get<DataProtectionKeyOptions>() ?? new();
        var protection = builder.Services.AddDataProtection()
            .SetApplicationName("PreferenceStudio")
            .PersistKeysToDbContext<PreferenceStudioDbContext>();
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
            return builder;
        var current = Load(options.CertificatePath, options.CertificatePassword, "DataProtection:CertificatePath");
        protection.ProtectKeysWithCertificate(current);
        var all = options.PreviousCertificatePaths
            .Select((path, i) => Load(path, options.CertificatePassword, $"DataProtection:PreviousCertificatePaths:{i}"))
            .Prepend(current).ToArray();
        protection.UnprotectKeysWithAnyCertificate(all);
        return builder;
    }

    private static X509Certificate2 Load(string path, string? password, string setting)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"{setting} names '{path}', which does not exist: give the path of a .pfx file, or leave the setting empty to store keys unencrypted.");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidOperationException($"{setting}: '{path}' could not be read as a .pfx file with DataProtection:CertificatePassword ({ex.Message}).", ex);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{setting}: '{path}' holds no private key; keys encrypted with it could never be read back.");
        return certificate;
    }
}
