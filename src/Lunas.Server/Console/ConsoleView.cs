using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Extensions;

namespace Lunas.Server.Console;

/// <summary>Who is signed in: a merchant (its own data only) or the operator (every merchant).</summary>
public sealed record ConsoleUser(string Name, string? MerchantId)
{
    public const string OperatorRole = "operator";
    public const string MerchantRole = "merchant";
    public const string MerchantClaim = "lunas:merchant";

    public bool IsOperator => MerchantId is null;

    public static ConsoleUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var name = principal.FindFirstValue(ClaimTypes.Name) ?? "";
        return principal.IsInRole(OperatorRole) ? new ConsoleUser(name, null)
            : principal.FindFirstValue(MerchantClaim) is { Length: > 0 } merchant ? new ConsoleUser(name, merchant) : null;
    }

    public bool CanSee(string merchantId) => IsOperator || MerchantId == merchantId;

    /// <summary>The merchant a page shows: a merchant's own; for the operator the one asked for, or null for all.</summary>
    public string? Scope(string? requested) => IsOperator ? (string.IsNullOrWhiteSpace(requested) ? null : requested) : MerchantId;
}

/// <summary>What every console page needs: texts, the user, the antiforgery token, the current address.</summary>
public sealed record ConsoleFrame(ConsoleTexts T, ConsoleUser? User, string Csrf, string Path, string Section)
{
    public static ConsoleFrame For(HttpContext context, IAntiforgery antiforgery, string section)
        => new(ConsoleTexts.For(context), ConsoleUser.From(context.User), antiforgery.GetAndStoreTokens(context).RequestToken ?? "",
            context.Request.GetEncodedPathAndQuery(), section);

    public string LanguageLink => $"{ConsoleSetup.Prefix}/language?to={T.OtherLanguageCode}&back={Uri.EscapeDataString(Path)}";
}

/// <summary>Renders console pages with the payment page's strict headers (no script at all, no framing).</summary>
public static class ConsoleView
{
    public const string AntiforgeryField = "__csrf";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IResult Page<TComponent>(HttpContext context, object view, int status = 200)
        where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        Secure(context);
        return new RazorComponentResult<TComponent>(new { V = view }) { StatusCode = status };
    }

    public static void Secure(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }

    private static readonly byte[] Css = LoadCss();

    public static IResult Stylesheet(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return TypedResults.Bytes(Css, "text/css; charset=utf-8");
    }

    private static byte[] LoadCss()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(typeof(ConsoleView).Namespace + ".Assets.console.css")!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>A local console address to go back to after sign-in or a language switch; anything else goes to the console's start.</summary>
    public static string LocalTarget(string? target)
        => target is { Length: > 0 } t && t.StartsWith(ConsoleSetup.Prefix + "/", StringComparison.Ordinal) && !t.Contains("//", StringComparison.Ordinal)
           && !t.Contains('\\', StringComparison.Ordinal) ? t : ConsoleSetup.Prefix + "/overview";

    /// <summary>
    /// ASP.NET Core's antiforgery check on every console form post, after the session cookie is read (the token is
    /// bound to the signed-in user). The routes read their form themselves, so the framework's own check stays off.
    /// </summary>
    public static RouteHandlerBuilder Form(this RouteHandlerBuilder route) => route.DisableAntiforgery().AddEndpointFilter(async (invocation, next) =>
    {
        var context = invocation.HttpContext;
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
        {
            Secure(context);
            return TypedResults.Content($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>400</title></head><body><main><p>{ConsoleTexts.For(context).FormExpired}</p></main></body></html>",
                "text/html; charset=utf-8", statusCode: 400);
        }
        return await next(invocation);
    });
}

/// <summary>Times as the merchant reads them: Jakarta time (WIB).</summary>
public static class Wib
{
    public static string Format(DateTimeOffset at)
        => at.ToOffset(Protocol.Wire.DokuTime.Wib).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " WIB";
}
