using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lunas.Protocol.Signing;

namespace Lunas.Bench;

/// <summary>
/// Writes pre-signed create-payment requests, one per line, for bench/create-payment.lua:
/// <code>
/// #lunas-bench-requests v1 \t target \t count                       (first line)
/// Client-Id \t Request-Id \t Request-Timestamp \t Signature \t body   (then one line per request)
/// </code>
/// Every request has its own Request-Id (a UUID) and its own invoice number; the body is compact JSON on one line,
/// and the signature covers exactly the bytes written. Timestamps are "now": Lunas accepts ±5 minutes, so generate
/// right before the run.
/// </summary>
internal static class RequestGenerator
{
    public const string Magic = "#lunas-bench-requests v1";

    private static readonly string[] FirstNames =
        ["Zolanda", "Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri", "Andi", "Wulan", "Hendra", "Ayu", "Bayu"];

    private static readonly string[] LastNames =
        ["Anggraeni", "Santoso", "Wijaya", "Saputra", "Lestari", "Pratama", "Kusuma", "Hidayat", "Nugroho", "Permata"];

    private static readonly string[] Streets =
        ["Jalan Setiabudi", "Jalan Sudirman", "Jalan Thamrin", "Jalan Gatot Subroto", "Jalan Kemang Raya"];

    public static int Run(Arguments args)
    {
        var clientId = args.Required("client-id");
        var secretKey = args.Required("secret-key");
        var count = args.RequiredPositiveInt("count");
        var path = args.Required("out");
        var target = args.Optional("target", "/checkout/v1/payment");
        if (!target.StartsWith('/'))
            throw new ArgumentException("--target must be a path starting with /");
        // --first: the index of the first request, so that several files of one run (one per Lunas instance, the
        // preflight request) never share an invoice number.
        var first = args.OptionalNonNegativeInt("first", 0);

        var now = DateTimeOffset.UtcNow;
        var timestamp = DokuSignature.FormatTimestamp(now);
        // Invoice numbers: letters and digits only and at most 30 characters, so that every channel (cards
        // included) accepts them; the run tag keeps them apart between runs against one database.
        var runTag = now.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture);

        var body = new ArrayBufferWriter<byte>(512);
        using var json = new Utf8JsonWriter(body);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        var line = new ArrayBufferWriter<byte>(1024);
        long bodyBytes = 0;

        WriteAscii(line, $"{Magic}\t{target}\t{count.ToString(CultureInfo.InvariantCulture)}\n");
        for (var i = 0; i < count; i++)
        {
            body.ResetWrittenCount();
            json.Reset(body);
            WriteBody(json, first + i, string.Create(CultureInfo.InvariantCulture, $"INV{runTag}{first + i:D8}"));
            json.Flush();
            var requestId = Guid.NewGuid().ToString("D");
            var signature = DokuSignature.SignBody(secretKey, clientId, requestId, timestamp, target, body.WrittenSpan, hasBody: true);

            WriteAscii(line, clientId);
            WriteAscii(line, "\t");
            WriteAscii(line, requestId);
            WriteAscii(line, "\t");
            WriteAscii(line, timestamp);
            WriteAscii(line, "\t");
            WriteAscii(line, signature);
            WriteAscii(line, "\t");
            line.Write(body.WrittenSpan);
            WriteAscii(line, "\n");
            bodyBytes += body.WrittenCount;
            if (line.WrittenCount > 1 << 19)
            {
                file.Write(line.WrittenSpan);
                line.ResetWrittenCount();
            }
        }
        file.Write(line.WrittenSpan);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gen: {count} requests, {bodyBytes / count} body bytes on average, timestamp {timestamp}, {file.Length} bytes -> {path}"));
        return 0;
    }

    /// <summary>DOKU's basic request (order and payment) plus a full customer object: about 400 bytes.</summary>
    internal static void WriteBody(Utf8JsonWriter json, int i, string invoiceNumber)
    {
        var first = FirstNames[i % FirstNames.Length];
        var last = LastNames[i / FirstNames.Length % LastNames.Length];
        var customerNumber = (i % 97_000) + 1_000;
        json.WriteStartObject();
        json.WriteStartObject("order");
        json.WriteNumber("amount", 10_000 + (i % 490) * 1_000);
        json.WriteString("invoice_number", invoiceNumber);
        json.WriteString("currency", "IDR");
        json.WriteEndObject();
        json.WriteStartObject("payment");
        json.WriteNumber("payment_due_date", 60);
        json.WriteEndObject();
        json.WriteStartObject("customer");
        json.WriteString("id", string.Create(CultureInfo.InvariantCulture, $"CUST-{customerNumber:D6}"));
        json.WriteString("name", first);
        json.WriteString("last_name", last);
        json.WriteString("phone", string.Create(CultureInfo.InvariantCulture, $"62812{(i * 7919L) % 100_000_000:D8}"));
        json.WriteString("email", string.Create(CultureInfo.InvariantCulture,
            $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{customerNumber}@example.com"));
        json.WriteString("address", string.Create(CultureInfo.InvariantCulture,
            $"{Streets[i % Streets.Length]} No. {i % 200 + 1}, RT {i % 12 + 1:D3}/RW {i % 9 + 1:D3}"));
        json.WriteString("postcode", string.Create(CultureInfo.InvariantCulture, $"{12_000 + i % 900}"));
        json.WriteString("state", "DKI Jakarta");
        json.WriteString("city", "Jakarta Selatan");
        json.WriteString("country", "ID");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteAscii(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        buffer.Advance(written);
    }
}
