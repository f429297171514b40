using Lunas.Server.Storage;

namespace Lunas.Server.Infrastructure;

/// <summary>For load balancers: <c>/healthz</c> says the process runs; <c>/readyz</c> that the database answers and is migrated.</summary>
public static class Health
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<DatabaseProvider, int> Latest = new();

    /// <summary>The probes' tag in the OpenAPI document.</summary>
    public const string Tag = "Health";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok"))
            .WithTags(Tag).WithName("Live").WithSummary("Liveness: the process answers")
            .Produces<string>(200, "text/plain");
        app.MapGet("/readyz", ReadyAsync)
            .WithTags(Tag).WithName("Ready").WithSummary("Readiness: the database answers and its schema is current")
            .Produces<string>(200, "text/plain").Produces<string>(503, "text/plain");
        return app;
    }

    private static async Task<IResult> ReadyAsync(Database database, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await using var connection = await database.OpenAsync(timeout.Token);
            await using var command = connection.Command("SELECT MAX(version) FROM schema_version");
            var value = await command.ExecuteScalarAsync(timeout.Token);
            var version = value is null or DBNull ? 0 : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
            var latest = Latest.GetOrAdd(database.Provider, Migrator.LatestVersion);
            return version >= latest
                ? TypedResults.Text($"ready: {database.Provider.ToString().ToLowerInvariant()}, schema {version}")
                : TypedResults.Text($"not ready: schema {version}, expected {latest}", statusCode: 503);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Text("not ready: database unreachable (" + ex.GetType().Name + ")", statusCode: 503);
        }
    }
}
