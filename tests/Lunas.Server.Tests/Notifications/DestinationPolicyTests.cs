using System.Net;
using Lunas.Server.Notifications;
using Microsoft.Extensions.Configuration;

namespace Lunas.Server.Tests.Notifications;

public class DestinationPolicyTests
{
    private static DestinationPolicy Policy(bool? allowPrivate, string? allowed = null, params string[] listen)
        => new(new NotificationOptions { AllowPrivateNetworks = allowPrivate, AllowedNetworks = allowed },
            listen.Length == 0 ? ["http://127.0.0.1:5080"] : listen);

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("100.100.100.200")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("224.0.0.1")]
    public void Refusal_RefusesLinkLocalAndMetadata_EvenWhenPrivateNetworksAndTheNetworkAreAllowed(string address)
    {
        var policy = Policy(true, "169.254.0.0/16,fe80::/10,0.0.0.0/8,fd00::/8");

        Assert.Contains("never contacted", policy.Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.5.5.5")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:c0a8:101::1")]
    public void Refusal_RefusesPrivateAndLoopback_OnlyWhenPrivateNetworksAreNotAllowed(string address)
    {
        var ip = IPAddress.Parse(address);

        Assert.Contains("loopback or private network", Policy(false).Refusal(ip));
        Assert.Null(Policy(true).Refusal(ip));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void Refusal_AllowsPublicAddresses_WhenPrivateNetworksAreNot(string address)
        => Assert.Null(Policy(false).Refusal(IPAddress.Parse(address)));

    [Fact]
    public void Refusal_AllowsOnlyTheNamedNetworks_WhenPrivateNetworksAreNotAllowed()
    {
        var policy = Policy(false, "10.20.0.0/16, fd12::/16, 192.168.7.9");

        Assert.Null(policy.Refusal(IPAddress.Parse("10.20.1.1")));
        Assert.Null(policy.Refusal(IPAddress.Parse("::ffff:10.20.1.1")));
        Assert.Null(policy.Refusal(IPAddress.Parse("fd12::7")));
        Assert.Null(policy.Refusal(IPAddress.Parse("192.168.7.9")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("10.21.0.1")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("192.168.7.10")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("127.0.0.1")));
    }

    [Theory]
    [InlineData(true, "http://127.0.0.1:5080")]
    [InlineData(true, "http://localhost:5080")]
    [InlineData(true, "http://[::1]:5080")]
    [InlineData(true, "http://127.0.0.1:5080", "https://localhost:5443")]
    [InlineData(false, "http://0.0.0.0:5080")]
    [InlineData(false, "http://*:5080")]
    [InlineData(false, "http://+:80")]
    [InlineData(false, "http://[::]:5080")]
    [InlineData(false, "http://lunas.example:5080")]
    [InlineData(false, "http://127.0.0.1:5080", "http://192.168.1.5:5080")]
    public void PrivateNetworksAllowed_FollowsTheListenAddresses_WhenNotConfigured(bool expected, params string[] urls)
    {
        Assert.Equal(expected, Policy(null, null, urls).PrivateNetworksAllowed);
        Assert.False(Policy(false, null, urls).PrivateNetworksAllowed);
        Assert.True(Policy(true, null, urls).PrivateNetworksAllowed);
    }

    [Fact]
    public void PrivateNetworksAllowed_UsesTheBoundAddresses_OnceListening()
    {
        var policy = new DestinationPolicy(new NotificationOptions(), ["http://localhost:5080"], () => ["http://[::]:5080"]);

        Assert.False(policy.PrivateNetworksAllowed);
    }

    [Fact]
    public void ConfiguredUrls_CountsPortsAndKestrelEndpoints_AsListenAddresses()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:5080",
            ["Kestrel:Endpoints:Public:Url"] = "http://0.0.0.0:8080",
        }).Build();

        var urls = DestinationPolicy.ConfiguredUrls(configuration, LunasApp.DefaultUrl);

        Assert.Equal(["http://127.0.0.1:5080", "http://0.0.0.0:8080"], urls);
        Assert.False(DestinationPolicy.AreLoopback(urls));
        Assert.Equal([LunasApp.DefaultUrl], DestinationPolicy.ConfiguredUrls(new ConfigurationBuilder().Build(), LunasApp.DefaultUrl));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]:8443/hook")]
    [InlineData("http://0xa9.0xfe.0xa9.0xfe/")]
    [InlineData("http://2852039166/")]
    public void LiteralRefusal_RefusesMetadataAddresses_InAnyWriting(string url)
        => Assert.NotNull(Policy(true).LiteralRefusal(url));

    [Theory]
    [InlineData("http://metadata.test/hook")]
    [InlineData("https://merchant.example/hook")]
    [InlineData("http://8.8.8.8/hook")]
    public void LiteralRefusal_LeavesNamesToConnectTime_AndAllowsPublicLiterals(string url)
        => Assert.Null(Policy(false).LiteralRefusal(url));

    [Theory]
    [InlineData("http://localhost:9/hook")]
    [InlineData("http://shop.localhost/hook")]
    [InlineData("http://10.0.0.5/hook")]
    public void LiteralRefusal_RefusesLoopbackAndPrivate_WhenPrivateNetworksAreNotAllowed(string url)
    {
        Assert.NotNull(Policy(false).LiteralRefusal(url));
        Assert.Null(Policy(true).LiteralRefusal(url));
    }

    [Fact]
    public void Build_FailsNamingTheSetting_WhenAConfiguredMerchantUrlIsAMetadataAddress()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LunasApp.Build([
            "--Lunas:Merchants:0:ClientId=MCH-1", "--Lunas:Merchants:0:SecretKey=SK-1",
            "--Lunas:Merchants:0:NotificationUrls:QRIS=http://169.254.169.254/hook",
        ]));

        Assert.StartsWith("Lunas:Merchants:0:NotificationUrls:QRIS: 169.254.169.254", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FailsNamingTheSetting_WhenAllowedNetworksIsNotANetwork()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LunasApp.Build(["--Lunas:Notifications:AllowedNetworks=10.0.0.0/8,nope"]));

        Assert.Contains("AllowedNetworks: 'nope'", error.Message, StringComparison.Ordinal);
    }
}
