using Lunas.Server.Checkout;
using Lunas.Server.Console;
using Lunas.Server.Infrastructure;
using Lunas.Server.Merchants;
using Lunas.Server.Notifications;
using Lunas.Server.OpenApi;
using Lunas.Server.Pay;
using Lunas.Server.Payments;
using Lunas.Server.PostPayment;
using Lunas.Server.Sandbox;
using Lunas.Server.Status;
using Lunas.Server.Security;
using Lunas.Server.Storage;
using Lunas.Server.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lunas.Server;

/// <summary>Builds the one deployable. <see cref="Program"/> and the tests both start Lunas through here.</summary>
public static class LunasApp
{
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Options are read once at start, so reloading appsettings on change buys nothing, and its file watcher covers
        // the whole content root, data/ included: every database write woke it (measured: about a third of create
        // throughput). Given first, so an explicit --hostBuilder:reloadConfigOnChange still wins.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        var options = new LunasOptions();
        builder.Configuration.GetSection(LunasOptions.Section).Bind(options);
        options.Validate();
        builder.AddTelemetry(options.Telemetry);
        var listenUrls = DestinationPolicy.ConfiguredUrls(builder.Configuration, DefaultUrl);
        new DestinationPolicy(options.Notifications, listenUrls).EnsureAllowed(options.Merchants);
        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => Database.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton<MerchantStore>();
        builder.Services.AddSingleton<RequestAuthenticator>();
        builder.Services.AddSingleton<ReplayGuard>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReplayGuard>());
        builder.Services.AddSingleton<WriteBatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WriteBatcher>());
        builder.Services.AddSingleton<MerchantClock>();
        builder.Services.AddSingleton<PaymentStore>();
        builder.Services.AddSingleton<PaymentFlows>();
        builder.Services.AddSingleton<ExpirySweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ExpirySweeper>());
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<OperationStore>();
        builder.Services.AddSingleton<NotificationFaultStore>();
        builder.Services.AddSingleton<PostPaymentOperations>();
        builder.Services.AddSingleton<NotificationStore>();
        builder.Services.AddSingleton(sp => new DestinationPolicy(options.Notifications, listenUrls, () => Addresses(sp)));
        builder.Services.TryAddSingleton<DestinationResolver>();
        builder.Services.AddSingleton<NotificationSender>();
        builder.Services.AddSingleton<NotificationResender>();
        builder.Services.AddHostedService<NotificationDispatcher>();
        builder.Services.AddRazorComponents();
        builder.AddConsole();
        builder.AddLunasOpenApi();

        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseMiddleware<RequestLogging>();
        app.UseMiddleware<StorageUnavailableAnswer>();
        app.UseConsole();
        app.MapHealth();
        app.MapCheckout();
        app.MapStatus();
        app.MapPostPayment();
        app.MapPay();
        if (options.Sandbox.Enabled)
        {
            app.MapSandbox();
            app.MapNotificationFaults();
            app.MapReceiverChecks();
        }
        app.MapNotifications();
        app.MapConsole();
        app.MapTelemetry(options.Telemetry);
        app.MapLunasOpenApi();
        return app;
    }

    /// <summary>Migrates the database and makes sure a merchant exists; run before serving.</summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        var services = app.Services;
        var clock = services.GetRequiredService<TimeProvider>();
        var database = services.GetRequiredService<Database>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Lunas");
        await database.WithStartupLockAsync(async () =>
        {
            var applied = await Migrator.MigrateAsync(database, clock, cancellationToken);
            logger.LogInformation("Database {Database}: {Applied} migration(s) applied", database.DisplayName, applied);
            await ConsoleSetup.EnsureOperatorAsync(services, System.Console.Out, async () =>
            {
                await MerchantSetup.EnsureAsync(services.GetRequiredService<MerchantStore>(), services.GetRequiredService<LunasOptions>(),
                    clock, logger, System.Console.Out, cancellationToken);
                DatabaseXmlRepository.EnsureKey(services);
            }, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>The addresses Kestrel is listening on, with real ports when 0 was asked for.</summary>
    public static IReadOnlyCollection<string> Addresses(WebApplication app) => Addresses(app.Services);

    private static IReadOnlyCollection<string> Addresses(IServiceProvider services)
        => services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
}
