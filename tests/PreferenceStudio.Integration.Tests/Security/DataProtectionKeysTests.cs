using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Integration.Tests.Web;

namespace PreferenceStudio.Integration.Tests.Security;

/// <summary>The keys behind cookies and form tokens: plain XML by default, encrypted when a certificate is configured.</summary>
public sealed class DataProtectionKeysTests : WebAppTest
{
    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"ps-keys-{Guid.NewGuid():N}.pfx");

    public override async Task DisposeAsync()
    {
        File.Delete(_pfx);
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Keys_WithACertificateConfigured_AreStoredEncryptedAndStillSignPeopleIn()
    {
        WriteCertificate(_pfx, "pfx-password");
        await using var app = App.WithWebHostBuilder(b => b
            .UseSetting("DataProtection:CertificatePath", _pfx)
            .UseSetting("DataProtection:CertificatePassword", "pfx-password"));

        var xml = await NewKeyXmlAsync(app);

        xml.ShouldContain("<encryptedSecret");
        xml.ShouldContain("EncryptedData");
        xml.ShouldNotContain("<masterKey");
    }

    [Fact]
    public async Task Keys_WithoutACertificate_AreStoredAsPlainXml()
    {
        await using var app = App.WithWebHostBuilder(_ => { }); // a host of its own, whose key ring starts empty
        var xml = await NewKeyXmlAsync(app);

        xml.ShouldContain("<masterKey");
        xml.ShouldNotContain("<encryptedSecret");
    }

    [Fact]
    public void Start_CertificatePathThatDoesNotExist_FailsNamingTheSetting()
    {
        using var app = App.WithWebHostBuilder(b => b.UseSetting("DataProtection:CertificatePath", "/nowhere/keys.pfx"));

        var error = Should.Throw<InvalidOperationException>(() => app.CreateClient());

        error.Message.ShouldContain("DataProtection:CertificatePath");
        error.Message.ShouldContain("/nowhere/keys.pfx");
    }

    /// <summary>Removes any key, signs someone in (which makes a key) and returns the stored key's XML.</summary>
    private async Task<string> NewKeyXmlAsync(WebApplicationFactory<Program> app)
    {
        await using (var db = Database.CreateContext())
            await db.DataProtectionKeys.ExecuteDeleteAsync();
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var account = Account(Roles.Annotator);
        await client.SignInOrFailAsync(account.Email, account.Password);
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var check = Database.CreateContext();
        return (await check.DataProtectionKeys.SingleAsync()).Xml!;
    }

    private static void WriteCertificate(string path, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=PreferenceStudio test keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
    }
}
