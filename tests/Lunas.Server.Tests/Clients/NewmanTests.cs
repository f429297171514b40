using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Lunas.Server.Tests.Infrastructure;
using Lunas.Tests.Shared;

namespace Lunas.Server.Tests.Clients;

/// <summary>DOKU's official Postman requests, run by newman (installed by the test setup) against a running Lunas.</summary>
public abstract class NewmanTests : ServerTest
{
    public static string Newman => Path.Combine(Paths.RepoRoot, ".tools", "node_modules", ".bin", "newman");

    [SkippableFact]
    public async Task OfficialPostmanRequests_GetCheckoutWithUsableUrlAndStatus()
    {
        Assert.True(File.Exists(Newman), $"newman is not installed at {Newman}; run ./test.sh (it installs the test tools)");
        // The collection's status request asks for this invoice (hard-coded in DOKU's collection).
        await Server.CreateAsync(invoice: "INV-1640746942");
        var report = Path.Combine(Database.Directory ?? Path.GetTempPath(), "newman.json");
        var info = new ProcessStartInfo(Newman) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "run", Path.Combine(Paths.Shared, "clients", "doku-checkout.postman_collection.json"),
                     "--env-var", $"url={Server.BaseUrl}",
                     "--env-var", $"client_id={TestServer.ClientId}",
                     "--env-var", $"secret_key={TestServer.SecretKey}",
                     // The collection signs {{$timestamp}} in its pre-request script and newman resolves it again when
                     // sending; pinning it to now keeps the two equal across a second boundary.
                     "--env-var", $"$timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}",
                     "--reporters", "json", "--reporter-json-export", report,
                 })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "newman did not finish within 2 minutes");
        var log = await stdout + await stderr;

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var checkout = document.RootElement.GetProperty("run").GetProperty("executions").EnumerateArray()
            .Single(e => e.GetProperty("item").GetProperty("name").GetString() == "DOKU Checkout - Initiate Payment");
        var response = checkout.GetProperty("response");
        var body = Encoding.UTF8.GetString(response.GetProperty("stream").GetProperty("data").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray());
        Assert.True(response.GetProperty("code").GetInt32() == 200, body + log);

        var statusRun = document.RootElement.GetProperty("run").GetProperty("executions").EnumerateArray()
            .Single(e => e.GetProperty("item").GetProperty("name").GetString() == "Check Status API").GetProperty("response");
        var statusBody = Encoding.UTF8.GetString(statusRun.GetProperty("stream").GetProperty("data").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray());
        Assert.True(statusRun.GetProperty("code").GetInt32() == 200, statusBody + log);
        using (var status = JsonDocument.Parse(statusBody))
        {
            Assert.Equal("INV-1640746942", status.RootElement.GetProperty("order").GetProperty("invoice_number").GetString());
            Assert.Equal("PENDING", status.RootElement.GetProperty("transaction").GetProperty("status").GetString());
        }

        using var created = JsonDocument.Parse(body);
        var url = created.RootElement.GetProperty("response").GetProperty("payment").GetProperty("url").GetString()!;
        Assert.StartsWith(Server.BaseUrl + "/checkout-link-v2/", url, StringComparison.Ordinal);
        using var page = await Server.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Rp10.500", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class NewmanTests_Sqlite : NewmanTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class NewmanTests_Postgres : NewmanTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
