using Npgsql;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for one test, and the configuration that points Lunas at it. PostgreSQL comes from
/// <c>LUNAS_TEST_POSTGRES</c> (a connection string; ./test.sh starts a scratch cluster and sets it): each test gets its
/// own schema. Without it the PostgreSQL tests are skipped, visibly, except under <c>CI=true</c>, where they fail.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string PostgresVariable = "LUNAS_TEST_POSTGRES";

    private readonly string? _schema;

    private TestDatabase(string provider, string connectionString, string? directory, string? schema = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Directory = directory;
        _schema = schema;
    }

    public string Provider { get; }
    public string ConnectionString { get; }

    /// <summary>A scratch folder for the test (the SQLite file lives here; processes use it as working directory).</summary>
    public string? Directory { get; }

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Lunas:Database:Provider"] = Provider,
        ["ConnectionStrings:Lunas"] = ConnectionString,
    };

    public static TestDatabase CreateSqlite()
    {
        var directory = NewDirectory();
        return new TestDatabase("sqlite", $"Data Source={Path.Combine(directory, "lunas.db")}", directory);
    }

    public static TestDatabase CreatePostgres()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{PostgresVariable} is not set: under CI=true the PostgreSQL tests must run (./test.sh starts a cluster).");
            }
            throw new SkipException($"PostgreSQL tests skipped: set {PostgresVariable} (./test.sh starts a scratch cluster and sets it).");
        }
        var schema = "t_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            create.ExecuteNonQuery();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema };
        return new TestDatabase("postgres", builder.ConnectionString, NewDirectory(), schema);
    }

    private static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "lunas-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_schema is not null)
        {
            try
            {
                using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
                connection.Open();
                using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
                drop.ExecuteNonQuery();
            }
            catch (NpgsqlException)
            {
                // A schema left behind in a scratch cluster harms nothing.
            }
        }
        if (Directory is not null)
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
