using System.Collections.Concurrent;
using System.Net;
using Lunas.Protocol.Channels;
using Lunas.Server.Payments;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Pay;

/// <summary>
/// A new virtual-account number that another order already has: the choice takes another one, and gives up cleanly
/// when none is free. Codes are random, so the numbers are scripted through <see cref="IPayCodeSource"/>.
/// </summary>
public abstract class PayCodeCollisionTests : DatabaseTest
{
    private const string Taken = "1900800000000001";
    private const string Free = "1900800000000002";

    private readonly ScriptedCodes _codes = new();

    private Task<TestServer> StartAsync() => TestServer.StartAsync(Database, new Dictionary<string, string?>
    {
        ["Lunas:Notifications:Enabled"] = "false",
    }, configure: builder => builder.Services.AddSingleton<IPayCodeSource>(_codes));

    [SkippableFact]
    public async Task VirtualAccount_TakesAnotherNumber_WhenTheNewNumberBelongsToAnotherOrder()
    {
        await using var server = await StartAsync();
        var first = await server.CreateAsync();
        var second = await server.CreateAsync();
        _codes.Next(Taken, Taken, Free);

        Assert.Equal(Taken, await server.ChooseCodeAsync(first, "VIRTUAL_ACCOUNT_BCA"));
        Assert.Equal(Free, await server.ChooseCodeAsync(second, "VIRTUAL_ACCOUNT_BCA"));

        Assert.Equal(3, _codes.Calls);
        Assert.Equal(0, _codes.Left);
        Assert.Equal(2, await server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
        // Each number pays its own order.
        using var paid = await server.PayVaAsync(Free);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("SUCCESS", (await server.StatusAsync(second.Invoice)).TransactionStatus());
        Assert.Equal("PENDING", (await server.StatusAsync(first.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task VirtualAccount_ChoiceFailsAndStoresNothing_WhenEveryNewNumberIsTaken()
    {
        await using var server = await StartAsync();
        var first = await server.CreateAsync();
        var second = await server.CreateAsync();
        _codes.Next(Taken);
        Assert.Equal(Taken, await server.ChooseCodeAsync(first, "VIRTUAL_ACCOUNT_BCA"));
        _codes.Next(Enumerable.Repeat(Taken, 50).ToArray());

        using var choose = await server.SubmitAsync(second, "choose", ("channel", "VIRTUAL_ACCOUNT_BCA"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, choose.StatusCode);
        Assert.Equal("1", choose.Headers.GetValues("Retry-After").Single());
        Assert.Contains("no free payment code for VIRTUAL_ACCOUNT_BCA was found in 12 tries; nothing was stored",
            await choose.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(PaymentStore.MaxCodeTries, 50 - _codes.Left);
        Assert.Equal(1, await server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM checkout_sessions WHERE invoice_number = '{second.Invoice}' AND channel IS NOT NULL"));
        // The order can still be paid once numbers are free again.
        _codes.Clear();
        Assert.Matches("^19008[0-9]{11}$", await server.ChooseCodeAsync(second, "VIRTUAL_ACCOUNT_BCA"));
    }

    private sealed class ScriptedCodes : IPayCodeSource
    {
        private readonly ConcurrentQueue<string> _next = new();
        private int _calls;

        public int Calls => _calls;
        public int Left => _next.Count;

        public void Next(params string[] codes)
        {
            foreach (var code in codes) _next.Enqueue(code);
        }

        public void Clear() => _next.Clear();

        /// <summary>The scripted codes in order, then <see cref="PayCodes.New"/>'s.</summary>
        public string? New(PaymentMethod method)
        {
            Interlocked.Increment(ref _calls);
            return _next.TryDequeue(out var code) ? code : PayCodes.New(method);
        }
    }
}

public sealed class PayCodeCollisionTests_Sqlite : PayCodeCollisionTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class PayCodeCollisionTests_Postgres : PayCodeCollisionTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
