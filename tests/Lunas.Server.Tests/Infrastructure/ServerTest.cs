namespace Lunas.Server.Tests.Infrastructure;

/// <summary>
/// Base of every storage-touching test: a fresh database and a started server per test. Each suite is abstract with
/// one subclass per database provider, so the same tests run on SQLite and PostgreSQL.
/// </summary>
public abstract class ServerTest : IAsyncLifetime
{
    protected TestServer Server { get; private set; } = null!;
    protected TestDatabase Database { get; private set; } = null!;

    protected abstract TestDatabase CreateDatabase();

    protected virtual IDictionary<string, string?>? Settings => null;

    public virtual async Task InitializeAsync()
    {
        Database = CreateDatabase();
        Server = await TestServer.StartAsync(Database, Settings);
    }

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Database.Dispose();
    }
}
