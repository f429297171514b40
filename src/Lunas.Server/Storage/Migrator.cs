using System.Reflection;

namespace Lunas.Server.Storage;

/// <summary>
/// Applies the numbered SQL files once, under a lock, recording each in schema_version. The SQL is written to run on
/// both SQLite and PostgreSQL (<c>Migrations/NNN_name.sql</c>); a file in <c>Migrations/sqlite/</c> or
/// <c>Migrations/postgres/</c> with the same number replaces it for that provider when the dialects must differ.
/// </summary>
public static class Migrator
{
    public static async Task<int> MigrateAsync(Database database, TimeProvider clock, CancellationToken cancellationToken)
    {
        var migrations = LoadMigrations(database.Provider);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await using var wal = connection.Command("PRAGMA journal_mode=WAL;");
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var create = connection.Command(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        // SQLite: BEGIN IMMEDIATE takes the write lock up front, so two processes starting at once migrate in turn.
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
        var applied = new HashSet<int>();
        await using (var read = connection.Command("SELECT version FROM schema_version", transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }
        var count = 0;
        foreach (var (version, name, sql) in migrations)
        {
            if (applied.Contains(version))
            {
                continue;
            }
            await using (var apply = connection.Command(sql, transaction))
            {
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var record = connection.Command(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)", transaction))
            {
                record.With("@v", version).With("@n", name).With("@t", clock.GetUtcNow().ToUnixTimeMilliseconds());
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            count++;
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    public static int LatestVersion(DatabaseProvider provider) => LoadMigrations(provider).Max(m => m.Version);

    private static List<(int Version, string Name, string Sql)> LoadMigrations(DatabaseProvider provider)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var common = $"{typeof(Migrator).Namespace}.Migrations.";
        var own = common + (provider == DatabaseProvider.Sqlite ? "sqlite." : "postgres.");
        var byVersion = new SortedDictionary<int, (int, string, string)>();
        // Common files first, then the provider's own, which replace a common file of the same number.
        foreach (var prefix in new[] { common, own })
        {
            foreach (var resource in assembly.GetManifestResourceNames())
            {
                if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !char.IsAsciiDigit(resource[prefix.Length]))
                {
                    continue;
                }
                var name = resource[prefix.Length..];
                var version = int.Parse(name.AsSpan(0, name.IndexOf('_')), System.Globalization.CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream);
                byVersion[version] = (version, name, reader.ReadToEnd());
            }
        }
        return [.. byVersion.Values];
    }
}
