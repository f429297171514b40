using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Lunas.Server.Telemetry;

/// <summary>
/// Logs, metrics and traces (<c>Lunas:Telemetry</c>). Metrics: Lunas's own (<see cref="LunasMetrics"/>), ASP.NET Core's
/// and Kestrel's, HttpClient's (notification sends), Npgsql's (its pool and commands) and the runtime's, served as
/// Prometheus text at <c>/metrics</c> and, with an OTLP endpoint, pushed there too. Traces exist only with an OTLP
/// endpoint: with none, no tracer is registered, so a request records no span (its activity is still there, for the
/// trace id in its log lines).
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>The runtime's own meter (.NET 9 and later): GC, heap, thread pool, CPU time, working set.</summary>
    private const string RuntimeMeter = "System.Runtime";

    public static void AddTelemetry(this WebApplicationBuilder builder, TelemetryOptions options)
    {
        builder.Logging.AddConsole(o => o.FormatterName = TraceConsoleFormatter.FormatterName)
            .AddConsoleFormatter<TraceConsoleFormatter, ConsoleFormatterOptions>(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<LunasMetrics>();
        var otlp = options.OtlpUri();
        if (!options.Metrics && otlp is null) return;

        // OTEL_SERVICE_NAME, when set, names the service (a later AddService would override it).
        var telemetry = builder.Services.AddOpenTelemetry();
        if (string.IsNullOrEmpty(builder.Configuration["OTEL_SERVICE_NAME"]))
        {
            telemetry.ConfigureResource(r => r.AddService("lunas", serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()));
        }
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(LunasMetrics.MeterName, RuntimeMeter)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation();
            if (options.Metrics)
            {
                // Scrapes are seconds apart; a cached answer would only make a scrape right after a change miss it.
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            }
            if (otlp is not null) metrics.AddOtlpExporter(o => Point(o, options, otlp, "v1/metrics"));
        });
        if (otlp is null) return;
        telemetry.WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
            .AddHttpClientInstrumentation()
            .AddNpgsql()
            .AddOtlpExporter(o => Point(o, options, otlp, "v1/traces")));
    }

    /// <summary><c>GET /metrics</c>, unless <c>Lunas:Telemetry:Metrics</c> is false (then it is a 404 like any unknown path).</summary>
    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder app, TelemetryOptions options)
    {
        if (options.Metrics) app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    private static bool IsProbe(PathString path)
        => path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    /// <summary>
    /// The exporter's address. gRPC takes the collector's address as it is; over http/protobuf each signal has its own path
    /// (<c>/v1/traces</c>), which the exporter adds only to an endpoint read from OTEL_EXPORTER_OTLP_ENDPOINT, not to one set here.
    /// </summary>
    private static void Point(OtlpExporterOptions exporter, TelemetryOptions options, Uri endpoint, string signalPath)
    {
        if (options.OtlpProtocol == TelemetryOptions.HttpProtobuf)
        {
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
        }
    }
}
