using System.Text.RegularExpressions;
using Npgsql;

namespace Lunas.Bench;

/// <summary>
/// <c>pgdb create|drop --connection CS --database NAME [--pool-size N]</c>: creates (or drops, with FORCE) a database
/// through an existing PostgreSQL connection string, so run.sh and notify.sh need no psql and work the same on their
/// own scratch cluster and on one given with <c>--pg</c>. <c>create</c> prints Lunas's connection string: the given
/// one with <c>Database=NAME</c> and <c>Maximum Pool Size=N</c>.
/// </summary>
internal static partial class PgDatabase
{
    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex SafeName();

    public static async Task<int> RunAsync(string verb, Arguments args)
    {
        var connection = args.Required("connection");
        var name = args.Required("database");
        if (!SafeName().IsMatch(name)) throw new ArgumentException("--database: lower-case letters, digits and _, starting with a letter");
        var admin = new NpgsqlConnectionStringBuilder(connection) { Pooling = false, Timeout = 15, CommandTimeout = 60 };
        if (admin.Database == name) throw new ArgumentException("--connection must name another database than --database");
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync();
        switch (verb)
        {
            case "create":
            {
                await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn))
                {
                    await create.ExecuteNonQueryAsync();
                }
                var lunas = new NpgsqlConnectionStringBuilder(connection) { Database = name };
                if (args.OptionalNonNegativeInt("pool-size", 0) is > 0 and var pool) lunas.MaxPoolSize = pool;
                Console.WriteLine(lunas.ConnectionString);
                return 0;
            }
            case "drop":
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
                await drop.ExecuteNonQueryAsync();
                return 0;
            }
            default:
                throw new ArgumentException("pgdb: create or drop");
        }
    }
}
