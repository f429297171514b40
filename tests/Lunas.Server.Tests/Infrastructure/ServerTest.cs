namespace Lunas.Server.Tests.Infrastructure;

/// <summary>
/// Base of every storage-touching test: a fresh database per test. Each suite is abstract with one subclass per
/// database provider, so the same tests run on SQLite and PostgreSQL.
/// </summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;

    protected abstract TestDatabase CreateDatabase();

    public virtual Task InitializeAsync()
    {
        Database = CreateDatabase();
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync()
    {
        Database.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>A <see cref="DatabaseTest"/> with a started in-process server.</summary>
public abstract class ServerTest : DatabaseTest
{
    protected TestServer Server { get; private set; } = null!;

    protected virtual IDictionary<string, string?>? Settings => null;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Server = await TestServer.StartAsync(Database, Settings);
    }

    public override async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await base.DisposeAsync();
    }
}
