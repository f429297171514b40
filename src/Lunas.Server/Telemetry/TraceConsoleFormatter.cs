using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Lunas.Server.Telemetry;

/// <summary>
/// The console log: one line per entry, as the simple formatter's single-line form (<c>{time}info: {category}[{event}]
/// {message}</c>), ending with <c>trace={trace id} span={span id}</c> when written inside an activity (every request
/// has one, traced or not), so a request's lines can be found from its trace and back.
/// </summary>
/// <remarks>
/// Not the simple formatter with IncludeScopes: ASP.NET Core's request scope carries the raw request path, and a
/// payment page's path holds its token, the customer's whole authority over the page (RequestLogging logs it redacted).
/// </remarks>
public sealed class TraceConsoleFormatter : ConsoleFormatter, IDisposable
{
    public const string FormatterName = "lunas";

    private static readonly bool Colors = !System.Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    private readonly IDisposable? _reload;
    private ConsoleFormatterOptions _options;

    public TraceConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : base(FormatterName)
    {
        _options = options.CurrentValue;
        _reload = options.OnChange(changed => _options = changed);
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        var options = _options;
        if (options.TimestampFormat is { } format)
        {
            Span<char> time = stackalloc char[64];
            var now = options.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            if (now.TryFormat(time, out var written, format, CultureInfo.InvariantCulture)) textWriter.Write(time[..written]);
        }
        WriteLevel(textWriter, logEntry.LogLevel);
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
        textWriter.Write("] ");
        WriteOneLine(textWriter, message);
        if (Activity.Current is { } activity && activity.IdFormat == ActivityIdFormat.W3C)
        {
            Span<byte> bytes = stackalloc byte[16];
            Span<char> hex = stackalloc char[32];
            activity.TraceId.CopyTo(bytes);
            Convert.TryToHexStringLower(bytes, hex, out var length);
            textWriter.Write(" trace=");
            textWriter.Write(hex[..length]);
            activity.SpanId.CopyTo(bytes[..8]);
            Convert.TryToHexStringLower(bytes[..8], hex, out length);
            textWriter.Write(" span=");
            textWriter.Write(hex[..length]);
        }
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(' ');
            WriteOneLine(textWriter, exception.ToString());
        }
        textWriter.Write(Environment.NewLine);
    }

    /// <summary>The text with every line break made a space: one entry, one line (a log reader splits on newlines).</summary>
    private static void WriteOneLine(TextWriter writer, string? text)
    {
        var rest = (text ?? "").AsSpan();
        for (var next = rest.IndexOfAny('\r', '\n'); next >= 0; next = rest.IndexOfAny('\r', '\n'))
        {
            writer.Write(rest[..next]);
            writer.Write(' ');
            rest = rest[(next + (rest[next] == '\r' && next + 1 < rest.Length && rest[next + 1] == '\n' ? 2 : 1))..];
        }
        writer.Write(rest);
    }

    private static void WriteLevel(TextWriter writer, LogLevel level)
    {
        var (name, color) = level switch
        {
            LogLevel.Trace => ("trce", "\x1B[90m"),
            LogLevel.Debug => ("dbug", "\x1B[90m"),
            LogLevel.Information => ("info", "\x1B[32m"),
            LogLevel.Warning => ("warn", "\x1B[33m"),
            LogLevel.Error => ("fail", "\x1B[31m"),
            LogLevel.Critical => ("crit", "\x1B[1m\x1B[31m"),
            _ => ("none", ""),
        };
        if (!Colors || color.Length == 0)
        {
            writer.Write(name);
            return;
        }
        writer.Write(color);
        writer.Write(name);
        writer.Write("\x1B[39m\x1B[22m");
    }

    public void Dispose() => _reload?.Dispose();
}
