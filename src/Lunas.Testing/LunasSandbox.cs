using System.Text;
using System.Text.Json;
using Lunas.Client;
using Lunas.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Lunas.Testing;

/// <summary>
/// A real Lunas inside the test process: its own free 127.0.0.1 port, its own temporary SQLite database, one merchant,
/// the payment simulator and the merchant's sandbox clock, and (unless the merchant has a notification URL of its own)
/// an inbox on 127.0.0.1 that receives, verifies and keeps Lunas's notifications. Disposing it stops both listeners
/// and deletes the database. Needs no test framework: start one per test, or share one per class or fixture.
/// </summary>
/// <example>
/// <code>
/// await using var doku = await LunasSandbox.StartAsync();
/// var created = await doku.Client.CreatePaymentAsync(request);
/// await doku.PayAsync(request.Order.InvoiceNumber, "VIRTUAL_ACCOUNT_BCA");
/// var paid = await doku.WaitForNotificationAsync(request.Order.InvoiceNumber, "SUCCESS");
/// </code>
/// </example>
public sealed class LunasSandbox : IAsyncDisposable
{
    /// <summary>How long <see cref="WaitForNotificationAsync"/> waits when no timeout is given: 30 seconds.</summary>
    public static readonly TimeSpan DefaultNotificationTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _lunas;
    private readonly NotificationInbox? _inbox;
    private readonly DirectoryInfo _directory;
    private readonly string _connectionString;
    private readonly HttpClient _http;
    private int _disposed;

    private LunasSandbox(WebApplication lunas, NotificationInbox? inbox, DirectoryInfo directory, string connectionString,
        string clientId, string secretKey, string? notificationUrl)
    {
        _lunas = lunas;
        _inbox = inbox;
        _directory = directory;
        _connectionString = connectionString;
        BaseUrl = LunasApp.Addresses(lunas).First();
        ClientId = clientId;
        SecretKey = secretKey;
        NotificationUrl = notificationUrl;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Client = new DokuCheckoutClient(_http, Options);
    }

    /// <summary>Where this Lunas listens, e.g. <c>http://127.0.0.1:41234</c>; use it as <see cref="DokuCheckoutOptions.BaseUrl"/>.</summary>
    public string BaseUrl { get; }

    /// <summary>The merchant's Client-Id.</summary>
    public string ClientId { get; }

    /// <summary>The merchant's Secret Key.</summary>
    public string SecretKey { get; }

    /// <summary>Where Lunas sends the merchant's notifications: your own URL, or the sandbox's inbox.</summary>
    public string? NotificationUrl { get; }

    /// <summary>
    /// Ready SDK options for this Lunas and merchant (a new instance on each read, so a test may change it), for a
    /// <see cref="DokuCheckoutClient"/> or <c>AddDokuCheckout</c>.
    /// </summary>
    public DokuCheckoutOptions Options => new()
    {
        BaseUrl = BaseUrl,
        ClientId = ClientId,
        SecretKey = SecretKey,
        RetryDelay = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>An SDK client for this Lunas and merchant, made with <see cref="Options"/>.</summary>
    public DokuCheckoutClient Client { get; }

    /// <summary>The server's services (its stores and options), for tests that look inside.</summary>
    public IServiceProvider Services => _lunas.Services;

    /// <summary>Every verified notification the inbox has received so far, oldest first (empty with your own URL).</summary>
    public IReadOnlyList<DokuNotification> Notifications => _inbox?.Received ?? [];

    /// <summary>Why the inbox refused each notification that failed the SDK's verification (a wrong signature, …).</summary>
    public IReadOnlyList<string> RejectedNotifications => _inbox?.Rejections ?? [];

    /// <summary>Starts a Lunas (and its inbox) and returns once both answer.</summary>
    /// <param name="options">The merchant and settings; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<LunasSandbox> StartAsync(LunasSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LunasSandboxOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ClientId, nameof(options));
        var secretKey = string.IsNullOrEmpty(options.SecretKey) ? "SK-" + Guid.NewGuid().ToString("N") : options.SecretKey;
        var directory = Directory.CreateTempSubdirectory("lunas-sandbox-");
        var connectionString = $"Data Source={Path.Combine(directory.FullName, "lunas.db")}";
        NotificationInbox? inbox = null;
        WebApplication? lunas = null;
        try
        {
            if (options.NotificationUrl is null)
            {
                var verifier = new DokuNotificationVerifier(new DokuCheckoutOptions { ClientId = options.ClientId, SecretKey = secretKey });
                inbox = await NotificationInbox.StartAsync(verifier, cancellationToken).ConfigureAwait(false);
            }
            var notificationUrl = options.NotificationUrl ?? inbox!.Url;
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Lunas:Database:Provider"] = "sqlite",
                ["ConnectionStrings:Lunas"] = connectionString,
                ["Lunas:Merchants:0:ClientId"] = options.ClientId,
                ["Lunas:Merchants:0:SecretKey"] = secretKey,
                ["Lunas:Merchants:0:Name"] = options.MerchantName,
                ["Lunas:Merchants:0:NotificationUrl"] = notificationUrl,
                ["Lunas:Sandbox:Enabled"] = "true",
                ["Lunas:RequestLog"] = "false",
            };
            foreach (var (key, value) in options.Settings)
            {
                settings[key] = value;
            }
            // Its own content root: an appsettings.json next to the test assembly must not configure this Lunas.
            var args = new List<string> { "--contentRoot", directory.FullName, "--urls", "http://127.0.0.1:0" };
            args.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
            lunas = LunasApp.Build(args.ToArray(), builder =>
            {
                if (!options.ShowServerLog) builder.Logging.ClearProviders();
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
            });
            await LunasApp.InitializeAsync(lunas, cancellationToken).ConfigureAwait(false);
            await lunas.StartAsync(cancellationToken).ConfigureAwait(false);
            return new LunasSandbox(lunas, inbox, directory, connectionString, options.ClientId, secretKey, notificationUrl);
        }
        catch
        {
            await StopAsync(lunas, inbox, directory, connectionString).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Pays the newest checkout session of <paramref name="invoiceNumber"/> with <paramref name="channel"/> through
    /// Lunas's simulator (<c>POST /sandbox/v1/payments</c>, signed), as the bank or wallet would; Lunas then notifies.
    /// </summary>
    /// <param name="invoiceNumber">The order's invoice number.</param>
    /// <param name="channel">A DOKU payment method type, e.g. <c>VIRTUAL_ACCOUNT_BCA</c>, <c>QRIS</c>, <c>CREDIT_CARD</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">Lunas refused (an unknown invoice, a channel the order does not offer, …).</exception>
    public Task PayAsync(string invoiceNumber, string channel, CancellationToken cancellationToken = default)
        => SimulateAsync(invoiceNumber, channel, "SUCCESS", cancellationToken);

    /// <summary>
    /// Makes an attempt at paying <paramref name="invoiceNumber"/> with <paramref name="channel"/> fail through the
    /// simulator (a declined card, a cancelled wallet approval); Lunas then sends the FAILED notification.
    /// </summary>
    /// <param name="invoiceNumber">The order's invoice number.</param>
    /// <param name="channel">A DOKU payment method type.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">Lunas refused.</exception>
    public Task FailAsync(string invoiceNumber, string channel, CancellationToken cancellationToken = default)
        => SimulateAsync(invoiceNumber, channel, "FAILED", cancellationToken);

    /// <summary>
    /// Moves the merchant's time on this Lunas forward (orders expire, notification retries fall due) without
    /// waiting; see <see cref="DokuCheckoutClient.AdvanceSandboxClockAsync"/>.
    /// </summary>
    /// <param name="by">A positive whole number of seconds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<LunasSandboxClock> AdvanceClockAsync(TimeSpan by, CancellationToken cancellationToken = default)
        => Client.AdvanceSandboxClockAsync(by, cancellationToken);

    /// <summary>
    /// Makes the merchant's next notifications misbehave (sent twice, late, dropped, badly signed, out of order); see
    /// <see cref="DokuCheckoutClient.SetNotificationFaultsAsync"/>. An empty list clears them.
    /// </summary>
    /// <param name="faults">The faults, in the order notifications take them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<NotificationFault>> SetNotificationFaultsAsync(IEnumerable<NotificationFault> faults,
        CancellationToken cancellationToken = default)
        => Client.SetNotificationFaultsAsync(faults, cancellationToken);

    /// <summary>
    /// Removes all of the merchant's data on this Lunas, puts its clock back on real time and empties the inbox: a
    /// clean start for the next test when one sandbox is shared.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await Client.ResetSandboxDataAsync(cancellationToken).ConfigureAwait(false);
        _inbox?.Clear();
    }

    /// <summary>
    /// Waits for the inbox to hold a verified notification of <paramref name="invoiceNumber"/> whose
    /// <c>transaction.status</c> is <paramref name="transactionStatus"/>, and returns it (the first such one).
    /// </summary>
    /// <param name="invoiceNumber">The order's invoice number.</param>
    /// <param name="transactionStatus"><c>SUCCESS</c>, <c>FAILED</c>, <c>EXPIRED</c>, … (see <see cref="DokuTransactionStatus"/>).</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultNotificationTimeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="InvalidOperationException">The merchant has its own notification URL, so there is no inbox.</exception>
    /// <exception cref="TimeoutException">No such notification arrived in time; the message lists what did.</exception>
    public async Task<DokuNotification> WaitForNotificationAsync(string invoiceNumber, string transactionStatus,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var inbox = _inbox ?? throw new InvalidOperationException(
            $"The merchant's notifications go to {NotificationUrl}, not to the sandbox's inbox: start the sandbox without a NotificationUrl to wait for them here.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultNotificationTimeout);
        try
        {
            return await inbox.WaitAsync(n => n.Order.InvoiceNumber == invoiceNumber
                && string.Equals(n.Transaction.Status, transactionStatus, StringComparison.OrdinalIgnoreCase), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seen = string.Join(", ", inbox.Received.Select(n => $"{n.Order.InvoiceNumber} {n.Transaction.Status}"));
            var refused = string.Join("; ", inbox.Rejections);
            throw new TimeoutException($"No {transactionStatus} notification of {invoiceNumber} within {timeout ?? DefaultNotificationTimeout}. "
                + $"Received: [{seen}]" + (refused.Length > 0 ? $"; refused: [{refused}]" : ""));
        }
    }

    /// <summary>
    /// Sends the newest notification of <paramref name="invoiceNumber"/> again now (Lunas's resend API,
    /// <c>POST /notifications/v1/{id}/resend</c>): the same body under a new Request-Id, as a resend from DOKU's Back
    /// Office arrives. A receiver must treat it as a duplicate of the same payment.
    /// </summary>
    /// <param name="invoiceNumber">The order's invoice number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The id of the notification that was resent.</returns>
    /// <exception cref="InvalidOperationException">The invoice has no notification, or Lunas refused.</exception>
    public async Task<string> ResendNotificationAsync(string invoiceNumber, CancellationToken cancellationToken = default)
    {
        var list = await SendSignedAsync(HttpMethod.Get, "/notifications/v1/invoices/" + Uri.EscapeDataString(invoiceNumber), null, cancellationToken)
            .ConfigureAwait(false);
        using var document = JsonDocument.Parse(list);
        var id = document.RootElement.GetProperty("notifications").EnumerateArray()
            .Select(n => n.GetProperty("notification_id").GetString()).LastOrDefault()
            ?? throw new InvalidOperationException($"Lunas has no notification of {invoiceNumber} to resend.");
        await SendSignedAsync(HttpMethod.Post, $"/notifications/v1/{Uri.EscapeDataString(id)}/resend", "{}"u8.ToArray(), cancellationToken)
            .ConfigureAwait(false);
        return id;
    }

    /// <summary>Stops Lunas and the inbox and deletes the temporary database. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _http.Dispose();
        await StopAsync(_lunas, _inbox, _directory, _connectionString).ConfigureAwait(false);
    }

    private static async Task StopAsync(WebApplication? lunas, NotificationInbox? inbox, DirectoryInfo directory, string connectionString)
    {
        if (lunas is not null)
        {
            await lunas.StopAsync().ConfigureAwait(false);
            await lunas.DisposeAsync().ConfigureAwait(false);
        }
        if (inbox is not null) await inbox.DisposeAsync().ConfigureAwait(false);
        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (antivirus, a late reader) leaves a directory in the temp folder, not a failed test.
        }
    }

    private Task SimulateAsync(string invoiceNumber, string channel, string result, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(invoiceNumber);
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["invoice_number"] = invoiceNumber,
            ["payment_method_type"] = channel,
            ["result"] = result,
        }, TestingJson.Default.DictionaryStringString);
        return SendSignedAsync(HttpMethod.Post, "/sandbox/v1/payments", body, cancellationToken);
    }

    private async Task<string> SendSignedAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, BaseUrl + path);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }
        DokuHttpSigning.SignRequest(message, ClientId, SecretKey, DokuHttpSigning.NewRequestId(), DateTimeOffset.UtcNow, body);
        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Lunas answered {method} {path} with HTTP {(int)response.StatusCode}: {text}");
        }
        return text;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class TestingJson : System.Text.Json.Serialization.JsonSerializerContext;
