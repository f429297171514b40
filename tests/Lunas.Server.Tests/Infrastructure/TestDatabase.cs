namespace Lunas.Server.Tests.Infrastructure;

/// <summary>A fresh, empty database for one test, and the configuration that points Lunas at it.</summary>
public sealed class TestDatabase : IDisposable
{
    private TestDatabase(string provider, string connectionString, string? directory)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Directory = directory;
    }

    public string Provider { get; }
    public string ConnectionString { get; }
    public string? Directory { get; }

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Lunas:Database:Provider"] = Provider,
        ["ConnectionStrings:Lunas"] = ConnectionString,
    };

    public static TestDatabase CreateSqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "lunas-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new TestDatabase("sqlite", $"Data Source={Path.Combine(directory, "lunas.db")}", directory);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory is not null)
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        }
    }
}
