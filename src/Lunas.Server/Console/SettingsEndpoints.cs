using Lunas.Protocol.Channels;
using Lunas.Server.Merchants;
using Microsoft.AspNetCore.Antiforgery;

namespace Lunas.Server.Console;

public sealed class SettingsView
{
    public required ConsoleFrame F { get; init; }
    public required Merchant Merchant { get; init; }
    public required DateTimeOffset Now { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    public string? Notice { get; init; }

    /// <summary>Shown once, right after a rotation or a creation; never stored for display.</summary>
    public string? NewKey { get; init; }
}

public sealed class MerchantsView
{
    public required ConsoleFrame F { get; init; }
    public required IReadOnlyList<Merchant> Merchants { get; init; }
    public (string ClientId, string SecretKey)? Created { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
}

/// <summary>A merchant's settings and key rotation; for the operator, creating and disabling merchants (as the CLI does).</summary>
public static class SettingsEndpoints
{
    public static void MapConsoleSettings(this RouteGroupBuilder console)
    {
        console.MapGet("/settings", async (HttpContext context, IAntiforgery antiforgery, MerchantStore merchants, TimeProvider clock, CancellationToken ct) =>
            await RenderAsync(context, antiforgery, merchants, clock, context.Request.Query["merchant"], [],
                context.Request.Query.ContainsKey("saved") ? ConsoleTexts.For(context).Saved : null, null, 200, ct));
        console.MapPost("/settings", SaveAsync).Form();
        console.MapPost("/settings/rotate-key", RotateAsync).Form();
        console.MapGet("/merchants", (HttpContext context, IAntiforgery antiforgery, MerchantStore merchants, CancellationToken ct) =>
            MerchantsAsync(context, antiforgery, merchants, null, [], 200, ct));
        console.MapPost("/merchants", CreateAsync).Form();
        console.MapPost("/merchants/{id}/enabled", EnableAsync).Form();
    }

    private static async Task<IResult> RenderAsync(HttpContext context, IAntiforgery antiforgery, MerchantStore merchants, TimeProvider clock,
        string? requested, IReadOnlyList<string> errors, string? notice, string? newKey, int status, CancellationToken cancellationToken)
    {
        var frame = ConsoleFrame.For(context, antiforgery, "settings");
        var id = frame.User!.Scope(requested);
        if (id is null) return TypedResults.Redirect(ConsoleSetup.Prefix + "/merchants");
        var merchant = await merchants.FindAsync(id, cancellationToken);
        if (merchant is null) return OrdersEndpoints.NotFound(context, frame);
        var view = new SettingsView { F = frame, Merchant = merchant, Now = clock.GetUtcNow(), Errors = errors, Notice = notice, NewKey = newKey };
        return ConsoleView.Page<Settings>(context, view, status);
    }

    private static async Task<IResult> SaveAsync(HttpContext context, IAntiforgery antiforgery, MerchantStore merchants, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var user = ConsoleUser.From(context.User)!;
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var id = user.Scope(form["merchant"]) ?? "";
        var t = ConsoleTexts.For(context);
        var errors = new List<string>();
        var name = form["name"].ToString().Trim();
        if (name.Length == 0) errors.Add(t.NameRequired);
        var url = NotificationUrl(form["notification_url"], out var bad);
        if (bad) errors.Add(t.BadUrl);
        var channels = form["channels"].Select(c => c ?? "").Where(c => PaymentMethods.Find(c) is not null).Distinct().ToList();
        if (errors.Count > 0) return await RenderAsync(context, antiforgery, merchants, clock, id, errors, null, null, 400, cancellationToken);
        if (!await merchants.UpdateSettingsAsync(id, name, channels.Count == 0 ? null : channels, url, cancellationToken))
        {
            return OrdersEndpoints.NotFound(context, ConsoleFrame.For(context, antiforgery, "settings"));
        }
        return TypedResults.Redirect($"{ConsoleSetup.Prefix}/settings?saved=1{(user.IsOperator ? "&merchant=" + Uri.EscapeDataString(id) : "")}");
    }

    private static async Task<IResult> RotateAsync(HttpContext context, IAntiforgery antiforgery, MerchantStore merchants, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var user = ConsoleUser.From(context.User)!;
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var id = user.Scope(form["merchant"]) ?? "";
        // Hours of overlap: 0 stops the old key at once; at most 30 days.
        var hours = int.TryParse(form["overlap_hours"], out var h) && h is >= 0 and <= 720 ? h : -1;
        if (hours < 0)
        {
            return await RenderAsync(context, antiforgery, merchants, clock, id, ["overlap_hours must be a whole number from 0 to 720"], null, null, 400,
                cancellationToken);
        }
        var key = await merchants.RotateKeyAsync(id, TimeSpan.FromHours(hours), cancellationToken);
        if (key is null) return OrdersEndpoints.NotFound(context, ConsoleFrame.For(context, antiforgery, "settings"));
        return await RenderAsync(context, antiforgery, merchants, clock, id, [], null, key, 200, cancellationToken);
    }

    /// <summary>An absolute http(s) URL, or null for an empty field; <paramref name="bad"/> when it is neither.</summary>
    public static string? NotificationUrl(string? value, out bool bad)
    {
        var text = value?.Trim() ?? "";
        bad = text.Length > 0 && !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https");
        return text.Length == 0 || bad ? null : text;
    }

    private static async Task<IResult> MerchantsAsync(HttpContext context, IAntiforgery antiforgery, MerchantStore merchants,
        (string, string)? created, IReadOnlyList<string> errors, int status, CancellationToken cancellationToken)
    {
        var frame = ConsoleFrame.For(context, antiforgery, "merchants");
        if (!frame.User!.IsOperator) return OrdersEndpoints.NotFound(context, frame);
        var view = new MerchantsView { F = frame, Merchants = await merchants.ListAsync(cancellationToken), Created = created, Errors = errors };
        return ConsoleView.Page<MerchantList>(context, view, status);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IAntiforgery antiforgery, MerchantStore merchants, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (ConsoleUser.From(context.User) is not { IsOperator: true }) return OrdersEndpoints.NotFound(context, ConsoleFrame.For(context, antiforgery, "merchants"));
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var t = ConsoleTexts.For(context);
        var name = form["name"].ToString().Trim();
        var url = NotificationUrl(form["notification_url"], out var bad);
        var errors = new List<string>();
        if (name.Length == 0) errors.Add(t.NameRequired);
        if (bad) errors.Add(t.BadUrl);
        if (errors.Count > 0) return await MerchantsAsync(context, antiforgery, merchants, null, errors, 400, cancellationToken);
        // What `lunas merchants add` does: new DOKU-shaped credentials, stored once.
        var (clientId, secretKey) = MerchantStore.NewCredentials(clock);
        await merchants.UpsertAsync(new Merchant(clientId, secretKey, name, url, null), cancellationToken);
        return await MerchantsAsync(context, antiforgery, merchants, (clientId, secretKey), [], 200, cancellationToken);
    }

    private static async Task<IResult> EnableAsync(HttpContext context, string id, IAntiforgery antiforgery, MerchantStore merchants,
        CancellationToken cancellationToken)
    {
        if (ConsoleUser.From(context.User) is not { IsOperator: true }) return OrdersEndpoints.NotFound(context, ConsoleFrame.For(context, antiforgery, "merchants"));
        var form = await context.Request.ReadFormAsync(cancellationToken);
        await merchants.SetDisabledAsync(id, form["enabled"] != "1", cancellationToken);
        return TypedResults.Redirect(ConsoleSetup.Prefix + "/merchants");
    }
}
