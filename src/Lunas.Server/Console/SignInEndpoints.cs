using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Lunas.Server.Merchants;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Lunas.Server.Console;

public sealed class SignInView
{
    public required ConsoleFrame F { get; init; }
    public string ReturnUrl { get; init; } = "";
    public string ClientId { get; init; } = "";
    public bool Failed { get; init; }
}

/// <summary>Sign-in (merchant: Client-Id and Secret Key; operator: user name and password), sign-out, language.</summary>
public static class SignInEndpoints
{
    public static void MapConsoleSignIn(this RouteGroupBuilder console)
    {
        console.MapGet("", () => TypedResults.Redirect(ConsoleSetup.Prefix + "/overview"));
        console.MapGet("/assets/console.css", ConsoleView.Stylesheet).AllowAnonymous();
        console.MapGet("/language", Language).AllowAnonymous();
        console.MapGet("/sign-in", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            ConsoleView.Page<SignIn>(context, new SignInView { F = ConsoleFrame.For(context, antiforgery, "sign-in"), ReturnUrl = returnUrl ?? "" }))
            .AllowAnonymous();
        console.MapPost("/sign-in", SignInAsync).AllowAnonymous().Form().RequireRateLimiting(ConsoleSetup.SignInPolicy);
        console.MapPost("/sign-out", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.Redirect(ConsoleSetup.Prefix + "/sign-in");
        }).Form();
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, MerchantStore merchants,
        OperatorStore operators, ConsoleOptions options, TimeProvider clock)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var id = form["client_id"].ToString().Trim();
        var secret = form["secret"].ToString().Trim();
        var returnUrl = form["return_url"].ToString();
        Claim[]? claims = null;
        if (id.Length > 0 && secret.Length > 0)
        {
            if (id == options.OperatorUser)
            {
                if (await operators.VerifyAsync(id, secret, context.RequestAborted))
                {
                    claims = [new(ClaimTypes.Name, id), new(ClaimTypes.Role, ConsoleUser.OperatorRole)];
                }
            }
            else if (await merchants.FindAsync(id, context.RequestAborted) is { Disabled: false } merchant
                     && (Same(merchant.SecretKey, secret) || merchant.PreviousKeyAt(clock.GetUtcNow()) is { } previous && Same(previous, secret)))
            {
                claims = [new(ClaimTypes.Name, merchant.Name), new(ClaimTypes.Role, ConsoleUser.MerchantRole), new(ConsoleUser.MerchantClaim, merchant.ClientId)];
            }
        }
        if (claims is null)
        {
            var view = new SignInView { F = ConsoleFrame.For(context, antiforgery, "sign-in"), ReturnUrl = returnUrl, ClientId = id, Failed = true };
            return ConsoleView.Page<SignIn>(context, view, StatusCodes.Status401Unauthorized);
        }
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.Redirect(ConsoleView.LocalTarget(returnUrl));
    }

    private static bool Same(string expected, string given)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    private static IResult Language(HttpContext context, string? to, string? back)
    {
        context.Response.Cookies.Append(ConsoleTexts.LanguageCookie, to == "id" ? "id" : "en", new CookieOptions
        {
            Path = ConsoleSetup.Prefix, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
        });
        return TypedResults.Redirect(ConsoleView.LocalTarget(back));
    }
}
