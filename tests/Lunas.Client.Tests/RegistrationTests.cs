using Lunas.Client.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Lunas.Client.Tests;

/// <summary><c>AddDokuCheckout</c>: one call registers a typed client of IHttpClientFactory and the verifier.</summary>
public class RegistrationTests(LunasFixture lunas) : IClassFixture<LunasFixture>
{
    [Fact]
    public async Task AddDokuCheckout_ResolvesTypedClientThroughHttpClientFactory_WhenConfiguredInCode()
    {
        var recorder = new ScriptedHandler();
        var services = new ServiceCollection();
        services.AddDokuCheckout(o =>
        {
            o.BaseUrl = lunas.BaseUrl;
            o.ClientId = LunasFixture.ClientId;
            o.SecretKey = LunasFixture.SecretKey;
        }).AddHttpMessageHandler(() => recorder);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<DokuCheckoutClient>();
        var created = await client.CreatePaymentAsync(Requests.Basic());

        Assert.Equal(created.RequestId, Assert.Single(recorder.Requests).Header("Request-Id"));
        Assert.NotNull(provider.GetRequiredService<DokuNotificationVerifier>());
    }

    [Fact]
    public async Task AddDokuCheckout_BindsOptions_WhenGivenAConfigurationSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Doku:BaseUrl"] = lunas.BaseUrl,
            ["Doku:ClientId"] = LunasFixture.ClientId,
            ["Doku:SecretKey"] = LunasFixture.SecretKey,
            ["Doku:MaxRetries"] = "1",
            ["Doku:NotificationTimestampTolerance"] = "00:02:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddDokuCheckout(configuration.GetSection("Doku"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DokuCheckoutOptions>>().Value;
        var created = await provider.GetRequiredService<DokuCheckoutClient>().CreatePaymentAsync(Requests.Basic());

        Assert.Equal((1, TimeSpan.FromMinutes(2)), (options.MaxRetries, options.NotificationTimestampTolerance));
        Assert.StartsWith(lunas.BaseUrl, created.PaymentUrl);
    }

    [Fact]
    public async Task AddDokuCheckout_FailsAtStart_WhenCredentialsAreMissing()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDokuCheckout(o => o.BaseUrl = "not a url");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains("BaseUrl must be an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ClientId must be set", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("SecretKey must be set", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_Throws_WhenOptionsAreUnusable()
    {
        using var http = new HttpClient();

        var error = Assert.Throws<ArgumentException>(() => new DokuCheckoutClient(http, new DokuCheckoutOptions { ClientId = "MCH-1" }));

        Assert.Contains("SecretKey must be set", error.Message);
    }
}
