using System.Net;
using System.Text.Json;
using Lunas.Server.Merchants;
using Lunas.Server.Notifications;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Notifications;

/// <summary>The destination policy over real HTTP: refused at create for literal addresses, at connect time for names.</summary>
public abstract class DestinationPolicyServerTests : DatabaseTest
{
    /// <summary>Names resolved as a test says; anything else as the system does.</summary>
    private sealed class MappedResolver(Dictionary<string, IPAddress[]> names) : DestinationResolver
    {
        public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
            => names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : base.ResolveAsync(host, cancellationToken);
    }

    private Task<TestServer> StartAsync(Dictionary<string, IPAddress[]> names, Dictionary<string, string?>? settings = null)
        => TestServer.StartAsync(Database, new Dictionary<string, string?>(settings ?? [])
        {
            ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
        }, configure: b => b.Services.AddSingleton<DestinationResolver>(new MappedResolver(names)));

    private static async Task<JsonElement> WaitForAttemptAsync(TestServer server, string invoice)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await server.GetSignedAsync("/notifications/v1/invoices/" + invoice);
            var notification = (await Json.ReadAsync(response)).GetProperty("notifications")[0];
            if (notification.GetProperty("attempts").GetArrayLength() > 0) return notification;
            Assert.True(DateTime.UtcNow < deadline, "no attempt recorded: " + notification);
            await Task.Delay(50);
        }
    }

    [SkippableTheory]
    [InlineData("override_notification_url", "http://169.254.169.254/latest/meta-data/")]
    [InlineData("override_notification_url", "http://[fd00:ec2::254]/hook")]
    [InlineData("override_notification_url", "http://[::ffff:169.254.169.254]/hook")]
    [InlineData("doku_wallet_notify_url", "http://169.254.169.254/hook")]
    [InlineData("doku_wallet_notify_url", "http://[64:ff9b::a9fe:a9fe]/hook")]
    public async Task CreatePayment_Returns400NamingTheField_WhenANotificationUrlIsAMetadataAddress(string field, string url)
    {
        await using var server = await StartAsync([]);
        var invoice = Seed.NewInvoice();

        using var response = await server.CreatePaymentAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{},"additional_info":{"{{{field}}}":"{{{url}}}"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(Json.Errors(await Json.ReadAsync(response)));
        Assert.StartsWith($"additional_info.{field} is not an allowed notification destination", error, StringComparison.Ordinal);
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task CreatePayment_Returns400_ForALoopbackUrl_WhenPrivateNetworksAreNotAllowed()
    {
        await using var server = await StartAsync([], new() { ["Lunas:Notifications:AllowPrivateNetworks"] = "false" });
        var invoice = Seed.NewInvoice();

        using var response = await server.CreatePaymentAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{},"additional_info":{"override_notification_url":"http://127.0.0.1:9/hook"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("loopback or private network", Assert.Single(Json.Errors(await Json.ReadAsync(response))), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Notification_IsRefusedWithoutConnecting_WhenItsNameResolvesToAMetadataAddress()
    {
        await using var server = await StartAsync(new() { ["metadata.test"] = [IPAddress.Parse("169.254.169.254")] });
        var invoice = Seed.NewInvoice();
        var order = await server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{},"additional_info":{"override_notification_url":"http://metadata.test/latest/meta-data/"}}""");
        using var paid = await server.SimulateAsync(order.Invoice, "QRIS");

        var notification = await WaitForAttemptAsync(server, order.Invoice);

        var attempt = notification.GetProperty("attempts")[0];
        Assert.StartsWith("destination not allowed by policy: metadata.test: 169.254.169.254 is a link-local or cloud-metadata address",
            attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("status_code").ValueKind);
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("response_excerpt").ValueKind);
        Assert.Equal("PENDING", notification.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task NotificationAndResend_AreRefusedWithoutConnecting_WhenTheNameResolvesToLoopbackAndPrivateNetworksAreNotAllowed()
    {
        await using var hole = new BlackHoleReceiver();
        await using var server = await StartAsync(new() { ["receiver.test"] = [IPAddress.Loopback] }, new()
        {
            ["Lunas:Notifications:AllowPrivateNetworks"] = "false",
            ["Lunas:Merchants:0:NotificationUrl"] = $"http://receiver.test:{hole.Port}/hook",
        });
        var order = await server.CreateAsync();
        using var paid = await server.SimulateAsync(order.Invoice, "QRIS");
        var notification = await WaitForAttemptAsync(server, order.Invoice);

        using var resend = await server.PostSignedAsync($"/notifications/v1/{notification.GetProperty("notification_id").GetString()}/resend", "{}");

        Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        var attempts = (await Json.ReadAsync(resend)).GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.All(attempts, a => Assert.StartsWith("destination not allowed by policy: receiver.test: 127.0.0.1 is on a loopback or private network",
            a.GetProperty("error").GetString(), StringComparison.Ordinal));
        Assert.Equal(0, hole.Connections);
    }

    [SkippableFact]
    public async Task Notification_IsDelivered_WhenTheNameResolvesToAnAllowedNetwork()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var port = new Uri(receiver.BaseUrl).Port;
        await using var server = await StartAsync(new() { ["shop.test"] = [IPAddress.Parse("169.254.1.1"), IPAddress.Loopback] }, new()
        {
            ["Lunas:Notifications:AllowPrivateNetworks"] = "false",
            ["Lunas:Notifications:AllowedNetworks"] = "127.0.0.0/8",
            ["Lunas:Merchants:0:NotificationUrl"] = $"http://shop.test:{port}/hook",
        });
        var order = await server.CreateAsync();
        using var paid = await server.SimulateAsync(order.Invoice, "QRIS");

        var request = (await receiver.WaitForAsync(1)).Single();

        Assert.Equal("/hook", request.Path);
        Assert.Equal("OK", (await WaitForAttemptAsync(server, order.Invoice)).GetProperty("attempts")[0].GetProperty("response_excerpt").GetString());
    }

    [SkippableFact]
    public async Task MerchantsAdd_RefusesAMetadataNotificationUrl_WithoutAddingTheMerchant()
    {
        var output = new StringWriter();
        string[] config = [$"--ConnectionStrings:Lunas={Database.ConnectionString}", $"--Lunas:Database:Provider={Database.Provider}"];

        var code = await MerchantsCli.RunAsync(["merchants", "add", "--name", "Toko", "--notification-url", "http://169.254.169.254/hook", .. config],
            output, (configuration, url) => DestinationPolicy.FromConfiguration(configuration).LiteralRefusal(url));

        Assert.Equal(2, code);
        Assert.Contains("link-local or cloud-metadata", output.ToString(), StringComparison.Ordinal);
        await MerchantsCli.RunAsync(["merchants", "list", .. config], output = new StringWriter());
        Assert.DoesNotContain("Toko", output.ToString(), StringComparison.Ordinal);
    }
}

public sealed class DestinationPolicyServerTests_Sqlite : DestinationPolicyServerTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class DestinationPolicyServerTests_Postgres : DestinationPolicyServerTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
