using System.Net;
using System.Text.Json;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Notifications;

/// <summary>Notifications across real processes: a crash between commit and send, and two dispatchers on one database.</summary>
public abstract class NotificationDurabilityTests : DatabaseTest
{
    private TestReceiver _receiver = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await TestReceiver.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    private Dictionary<string, string?> Settings(bool dispatch) => new()
    {
        ["Lunas:Merchants:0:NotificationUrl"] = _receiver.BaseUrl + "/hook",
        ["Lunas:Notifications:Enabled"] = dispatch ? "true" : "false",
        ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
    };

    [SkippableFact]
    public async Task NotificationCommittedBeforeACrash_IsDeliveredAfterRestart()
    {
        string invoice;
        // The first process commits payments but never gets to send (its dispatcher is off), then dies by SIGKILL.
        await using (var first = await ServerProcess.StartAsync(Database, Settings(dispatch: false)))
        {
            using var http = new HttpClient { BaseAddress = new Uri(first.BaseUrl) };
            invoice = await CreateAndPayAsync(http);
            first.Kill();
        }
        Assert.Empty(_receiver.Requests);

        await using var second = await ServerProcess.StartAsync(Database, Settings(dispatch: true));
        var request = (await _receiver.WaitForAsync(1)).Single();

        Assert.Contains(invoice, request.Text, StringComparison.Ordinal);
        Assert.True(TestReceiver.VerifyFromSpec(request, TestServer.SecretKey, "/hook"));
    }

    [SkippableFact]
    public async Task TwoDispatchersOnOneDatabase_SendEachNotificationOnce()
    {
        await using var a = await ServerProcess.StartAsync(Database, Settings(dispatch: true));
        await using var b = await ServerProcess.StartAsync(Database, Settings(dispatch: true));
        using var httpA = new HttpClient { BaseAddress = new Uri(a.BaseUrl) };
        using var httpB = new HttpClient { BaseAddress = new Uri(b.BaseUrl) };

        var invoices = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => CreateAndPayAsync(i % 2 == 0 ? httpA : httpB)));
        await _receiver.WaitForAsync(invoices.Length);
        await Task.Delay(1500);

        var received = _receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("order").GetProperty("invoice_number").GetString()).ToList();
        Assert.Equal(invoices.Length, received.Count);
        Assert.Equal(invoices.Order(), received.Order());
    }

    private static async Task<string> CreateAndPayAsync(HttpClient http)
    {
        var invoice = Seed.NewInvoice();
        using (var created = await http.PostAsync("/checkout/v1/payment", Seed.BasicRequest(invoice)))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }
        using var paid = await http.PostAsync("/sandbox/v1/payments",
            $$"""{"invoice_number":"{{invoice}}","payment_method_type":"VIRTUAL_ACCOUNT_BCA","result":"SUCCESS"}""");
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        return invoice;
    }

}

public sealed class NotificationDurabilityTests_Sqlite : NotificationDurabilityTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class NotificationDurabilityTests_Postgres : NotificationDurabilityTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
