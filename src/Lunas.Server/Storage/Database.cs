using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lunas.Server.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseProviderName
{
    /// <summary>Reads <c>Lunas:Database:Provider</c>: <c>sqlite</c>, <c>postgres</c> or <c>postgresql</c>, any case.</summary>
    public static DatabaseProvider Parse(string? name) => (name ?? "sqlite").ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException($"Lunas:Database:Provider must be sqlite or postgres, not '{name}'."),
    };
}

/// <summary>The pooled data source of the configured provider. Stores open connections here and nowhere else.</summary>
public sealed class Database : IAsyncDisposable
{
    public const string DefaultSqlitePath = "data/lunas.db";

    /// <summary>Npgsql's <c>Max Auto Prepare</c> when the connection string does not set it: statements kept prepared per connection.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    private readonly DbDataSource _dataSource;

    public Database(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        if (provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
            DisplayName = "sqlite:" + Path.GetFullPath(builder.DataSource);
            _dataSource = SqliteFactory.Instance.CreateDataSource(builder.ConnectionString);
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            DisplayName = $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
            // Lunas runs a few dozen fixed statements, so PostgreSQL need not parse and plan each one every time (the
            // planning took longer than the execution: 2.7 ms against 1.9 ms of backend time per created-and-paid order). A
            // connection string that sets Max Auto Prepare (0 turns it off) wins.
            if (!Sets(connectionString, "MaxAutoPrepare"))
            {
                builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            }
            // Lunas leaves no session state on a connection (no SET, no temporary table, no LISTEN; the start-up
            // advisory lock is released before the connection goes back), so the pool need not reset it: with
            // prepared statements kept, Npgsql's reset is seven statements on every return to the pool.
            if (!Sets(connectionString, "NoResetOnClose"))
            {
                builder.NoResetOnClose = true;
            }
            _dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        }
    }

    /// <summary>Whether the connection string sets this keyword itself (any case, with or without spaces).</summary>
    internal static bool Sets(string connectionString, string keyword)
        => new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => key.Replace(" ", "").Equals(keyword, StringComparison.OrdinalIgnoreCase));

    public DatabaseProvider Provider { get; }

    /// <summary>Where the data lives, without credentials, for the start-up log.</summary>
    public string DisplayName { get; }

    public static Database FromConfiguration(IConfiguration configuration)
    {
        var provider = DatabaseProviderName.Parse(configuration["Lunas:Database:Provider"]);
        var connectionString = configuration.GetConnectionString("Lunas");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? $"Data Source={DataLocation.DefaultSqlitePath()}"
                : throw new InvalidOperationException("ConnectionStrings:Lunas is required for PostgreSQL.");
        }
        return new Database(provider, connectionString);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // Once per SQLite connection, not per open: the pool hands back the same native handle with its settings.
        if (connection is SqliteConnection { Handle: { } handle } && !_configured.TryGetValue(handle, out _))
        {
            await using var pragma = connection.Command(ConnectionPragmas);
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            _configured.AddOrUpdate(handle, Configured);
        }
        return connection;
    }

    /// <summary>
    /// FULL: a commit is on disk (the WAL fsynced) before we answer; busy_timeout covers other processes. temp_store
    /// MEMORY: a statement that may fail half-way inside a transaction (an INSERT … SELECT, a foreign key check) keeps
    /// the original of every page it changes in a statement journal, which was a temporary file: 4.2 pages written per
    /// create, more than to the WAL. That journal only ever undoes the one statement, never anything after a crash, so
    /// memory is as safe. The same setting puts a read's temporary sort or DISTINCT b-tree in memory too: Lunas's reads
    /// page through indexes (the console lists 25 rows at a time), so those stay small.
    /// </summary>
    private const string ConnectionPragmas =
        "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";

    /// <summary>
    /// <see cref="OpenAsync"/> for the few callers behind a synchronous interface (DataProtection's key repository,
    /// read at start and about once a day): the same pool and the same per-connection pragmas.
    /// </summary>
    public DbConnection Open()
    {
        var connection = _dataSource.OpenConnection();
        if (connection is SqliteConnection { Handle: { } handle } && !_configured.TryGetValue(handle, out _))
        {
            using var pragma = connection.Command(ConnectionPragmas);
            pragma.ExecuteNonQuery();
            _configured.AddOrUpdate(handle, Configured);
        }
        return connection;
    }

    /// <summary>The native SQLite connections already given their pragmas (forgotten with the connection).</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    private static readonly object Configured = new();

    /// <summary>
    /// A transaction that will write. On SQLite it takes the write lock at BEGIN (IMMEDIATE), so a read inside it can
    /// never fail later on a lock upgrade; busy_timeout makes it wait for another writer instead.
    /// </summary>
    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection is SqliteConnection sqlite)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return sqlite.BeginTransaction(deferred: false);
        }
        return await connection.BeginTransactionAsync(cancellationToken);
    }

    /// <summary>True when the exception is a unique-key violation (a race the database decided).</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>A failure that running the same work again may not meet: a deadlock, a serialization failure, a busy database.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        _ => false,
    };

    /// <summary>
    /// Runs start-up work (migrations, the first merchant) once across instances starting together: on PostgreSQL
    /// under a session advisory lock; on SQLite the migrator's immediate transaction already serializes processes.
    /// </summary>
    public async Task WithStartupLockAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        if (Provider != DatabaseProvider.Postgres)
        {
            await work();
            return;
        }
        await using var connection = await OpenAsync(cancellationToken);
        await using (var take = connection.Command("SELECT pg_advisory_lock(@key)").With("@key", StartupLockKey))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await work();
        }
        finally
        {
            await using var release = connection.Command("SELECT pg_advisory_unlock(@key)").With("@key", StartupLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    // Any fixed number; "LUNAS" in ASCII.
    private const long StartupLockKey = 0x4C554E4153;

    public ValueTask DisposeAsync()
    {
        var result = _dataSource.DisposeAsync();
        if (Provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
        }
        return result;
    }
}

public static class DbExtensions
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>The value of a reused command's parameter until it is set again; writing it fails in either provider.</summary>
    public static readonly object Unset = new UnsetParameter();

    /// <summary>Sets the parameter, adding it the first time: a reused command keeps its parameter instances (see <see cref="BatchContext.Command"/>).</summary>
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var index = command.Parameters.Count == 0 ? -1 : command.Parameters.IndexOf(name);
        if (index >= 0)
        {
            command.Parameters[index].Value = value ?? DBNull.Value;
            return command;
        }
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}

/// <summary>See <see cref="DbExtensions.Unset"/>.</summary>
internal sealed class UnsetParameter
{
    public override string ToString() => "(a batch command's parameter not set again before it ran)";
}
