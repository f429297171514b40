using System.Threading.RateLimiting;
using Lunas.Server.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Lunas.Server.Console;

/// <summary>Settings under <c>Lunas:Console</c>.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Lunas:Console";

    /// <summary>The operator's user name on the sign-in form.</summary>
    public string OperatorUser { get; set; } = "operator";

    /// <summary>The operator's password when the account is first made; when empty a random one is made and printed once.</summary>
    public string? OperatorPassword { get; set; }

    /// <summary>Sign-in attempts per client address per minute.</summary>
    public int SignInPermitsPerMinute { get; set; } = 10;
}

/// <summary>
/// The back office at <c>/console</c>: cookie sessions, antiforgery and a sign-in rate limit that apply there and
/// nowhere else (the API, the payment page and health are untouched).
/// </summary>
public static class ConsoleSetup
{
    public const string Prefix = "/console";
    public const string SignInPolicy = "console-sign-in";

    public static void AddConsole(this WebApplicationBuilder builder)
    {
        var options = new ConsoleOptions();
        builder.Configuration.GetSection(ConsoleOptions.Section).Bind(options);
        if (options.SignInPermitsPerMinute < 1) throw new InvalidOperationException("Lunas:Console:SignInPermitsPerMinute must be at least 1.");
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<OperatorStore>();
        builder.Services.AddSingleton<ConsoleStore>();
        builder.Services.AddSingleton<ConsoleOperations>();
        builder.Services.AddSingleton<OrdersEndpoints.OrderReaders>();
        // The cookie and the antiforgery token are protected with keys in the database, so instances behind one load
        // balancer accept each other's (and a restart keeps sessions).
        DatabaseXmlRepository.AddTo(builder.Services);
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = "lunas.console";
            o.Cookie.Path = Prefix;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = Prefix + "/sign-in";
            o.AccessDeniedPath = Prefix + "/sign-in";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "lunas.console.af";
            o.Cookie.Path = Prefix;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = ConsoleView.AntiforgeryField;
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInPermitsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
    }

    public static void UseConsole(this WebApplication app)
    {
        // WebApplication would otherwise put authentication and authorization in front of every request; the console
        // runs them in its own branch, so API requests never read a cookie.
        ((IApplicationBuilder)app).Properties["__AuthenticationMiddlewareSet"] = true;
        ((IApplicationBuilder)app).Properties["__AuthorizationMiddlewareSet"] = true;
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Prefix), console =>
        {
            console.UseAuthentication();
            console.UseAuthorization();
            console.UseRateLimiter();
        });
    }

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        // HTML for people, not an API: left out of the OpenAPI document.
        app.MapGet("/", () => TypedResults.Redirect(Prefix)).ExcludeFromDescription();
        var console = app.MapGroup(Prefix).RequireAuthorization().ExcludeFromDescription();
        console.MapConsoleSignIn();
        console.MapConsoleOrders();
        console.MapConsoleNotifications();
        console.MapConsoleSettings();
        console.MapConsoleOverview();
        return app;
    }

    /// <summary>
    /// Makes the operator account on first start; its password is printed once (to the console, not the log).
    /// <paramref name="meanwhile"/>, the rest of the start's set-up, runs while a new password is hashed (a fresh
    /// database's start is that much shorter), and before the password is printed.
    /// </summary>
    public static async Task EnsureOperatorAsync(IServiceProvider services, TextWriter console, Func<Task> meanwhile,
        CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<ConsoleOptions>();
        var store = services.GetRequiredService<OperatorStore>();
        var password = string.IsNullOrEmpty(options.OperatorPassword)
            ? System.Security.Cryptography.RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20)
            : options.OperatorPassword;
        // A start that finds the account made skips the hash; no connection is held while `meanwhile` runs.
        var hashing = await store.ExistsAsync(options.OperatorUser, cancellationToken)
            ? null
            : OperatorStore.HashAsync(options.OperatorUser, password);
        await meanwhile();
        if (hashing is not null && await store.AddAsync(options.OperatorUser, await hashing, cancellationToken)
            && string.IsNullOrEmpty(options.OperatorPassword))
        {
            await console.WriteLineAsync($"""

                Created the console operator (stored hashed; later starts reuse it):
                  User:     {options.OperatorUser}
                  Password: {password}
                  Sign in at {Prefix}/sign-in

                """);
        }
    }

}
