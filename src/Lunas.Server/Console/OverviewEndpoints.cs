using Lunas.Protocol.Wire;
using Lunas.Server.Storage;
using Microsoft.AspNetCore.Antiforgery;

namespace Lunas.Server.Console;

/// <summary>One bar of a chart: a label, a count and an amount in rupiah.</summary>
public sealed record Bar(string Label, long Count, long Amount);

public sealed record Period(string Title, IReadOnlyList<Bar> ByStatus, IReadOnlyList<Bar> ByChannel, IReadOnlyList<Bar> Deliveries);

public sealed class OverviewView
{
    public required ConsoleFrame F { get; init; }
    public required IReadOnlyList<Period> Periods { get; init; }
}

/// <summary>Counts and amounts by status and channel, today and over 7 days, and notification delivery; drawn as SVG on the server.</summary>
public static class OverviewEndpoints
{
    public static void MapConsoleOverview(this RouteGroupBuilder console) => console.MapGet("/overview", ShowAsync);

    private static async Task<IResult> ShowAsync(HttpContext context, IAntiforgery antiforgery, Database database, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var frame = ConsoleFrame.For(context, antiforgery, "overview");
        var merchant = frame.User!.Scope(context.Request.Query["merchant"]);
        var now = clock.GetUtcNow().ToOffset(DokuTime.Wib);
        var today = new DateTimeOffset(now.Date, DokuTime.Wib);
        var periods = new List<Period>();
        foreach (var (title, since) in new[] { (frame.T.Today, today), (frame.T.Last7Days, today.AddDays(-6)) })
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            periods.Add(new Period(title,
                await BarsAsync(connection, "checkout_sessions", "status", "amount", merchant, since, cancellationToken),
                await BarsAsync(connection, "checkout_sessions", "COALESCE(channel, '-')", "amount", merchant, since, cancellationToken),
                await BarsAsync(connection, "notifications", "status", "0", merchant, since, cancellationToken)));
        }
        return ConsoleView.Page<Overview>(context, new OverviewView { F = frame, Periods = periods });
    }

    private static async Task<IReadOnlyList<Bar>> BarsAsync(System.Data.Common.DbConnection connection, string table, string key, string amount,
        string? merchant, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"""
            SELECT {key}, COUNT(*), SUM({amount}) FROM {table}
            WHERE created_at >= @since {(merchant is null ? "" : "AND merchant_id = @mid")}
            GROUP BY {key} ORDER BY COUNT(*) DESC
            """).With("@since", since.ToUnixTimeMilliseconds());
        if (merchant is not null) command.With("@mid", merchant);
        var bars = new List<Bar>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            bars.Add(new Bar(reader.GetString(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(2) ? 0 : Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)));
        }
        return bars;
    }
}
