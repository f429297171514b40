using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Lunas.Server.Tests.Infrastructure;
using Lunas.Tests.Shared;

namespace Lunas.Server.Tests.Merchants;

public abstract partial class MerchantTests : DatabaseTest
{

    [SkippableFact]
    public async Task FirstStart_CreatesAndPrintsSandboxMerchant_AndLaterStartsReuseIt()
    {
        string clientId, secretKey;
        await using (var first = await ServerProcess.StartAsync(Database, configureMerchant: false))
        {
            var match = Credentials().Match(first.Output);
            Assert.True(match.Success, first.Output);
            clientId = match.Groups[1].Value;
            secretKey = match.Groups[2].Value;
        }

        await using var second = await ServerProcess.StartAsync(Database, configureMerchant: false);
        Assert.DoesNotContain("Secret Key:", second.Output, StringComparison.Ordinal);
        Assert.Contains(clientId, second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(secretKey, second.Output, StringComparison.Ordinal);
        var list = await RunCliAsync("merchants", "list");
        Assert.Contains(clientId, list, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(list, "BRN-"));
    }

    [SkippableFact]
    public async Task MerchantsAdd_CreatesMerchantThatCanSignRequests()
    {
        var output = await RunCliAsync("merchants", "add", "--name", "Toko Kedua", "--payment-method-types", "QRIS,VIRTUAL_ACCOUNT_BCA");
        var match = Credentials().Match(output);
        Assert.True(match.Success, output);

        await using var server = await TestServer.StartAsync(Database, configureMerchant: false);
        using var response = await server.PostSignedAsync("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice()),
            clientId: match.Groups[1].Value, secretKey: match.Groups[2].Value);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var methods = (await Json.ReadAsync(response)).GetProperty("response").GetProperty("payment").GetProperty("payment_method_types");
        Assert.Equal(["VIRTUAL_ACCOUNT_BCA", "QRIS"], methods.EnumerateArray().Select(m => m.GetString()));
        Assert.Contains("Toko Kedua", await RunCliAsync("merchants", "list"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ConfiguredMerchant_RequestForDisabledChannel_Returns400()
    {
        await using var server = await TestServer.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Lunas:Merchants:0:PaymentMethodTypes"] = "QRIS",
        });

        using var response = await server.CreatePaymentAsync(
            $$$"""{"order":{"amount":10000,"invoice_number":"{{{Seed.NewInvoice()}}}"},"payment":{"payment_method_types":["CREDIT_CARD"]}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("payment.payment_method_types[0] CREDIT_CARD is not enabled for this merchant", Json.Errors(await Json.ReadAsync(response)));
    }

    private async Task<string> RunCliAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Paths.ServerDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in Database.Settings) info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + error);
        return output;
    }

    [GeneratedRegex(@"Client-Id:\s+(\S+)\s+Secret Key:\s+(\S+)")]
    private static partial Regex Credentials();
}

public sealed class MerchantTests_Sqlite : MerchantTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class MerchantTests_Postgres : MerchantTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
