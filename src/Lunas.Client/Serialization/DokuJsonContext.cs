using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lunas.Protocol.Checkout;

namespace Lunas.Client;

/// <summary>
/// Source-generated JSON for every wire model. Numbers may arrive as JSON strings (DOKU sends <c>"amount": "20000"</c>)
/// and text fields as numbers or booleans (<c>"virtual_account_number": 8888…</c>): a genuine notification must not be
/// refused, and retried for days, because a field's JSON type drifted. Nulls are not written, so a request carries only
/// the fields that were set.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientStringConverter)])]
[JsonSerializable(typeof(CheckoutRequest))]
[JsonSerializable(typeof(CheckoutResponse))]
[JsonSerializable(typeof(DokuNotification))]
[JsonSerializable(typeof(DokuOrderStatus))]
[JsonSerializable(typeof(DokuErrorBody))]
[JsonSerializable(typeof(CancelOrderRequest))]
[JsonSerializable(typeof(CancelOrderResult))]
[JsonSerializable(typeof(CaptureRequest))]
[JsonSerializable(typeof(CaptureResult))]
[JsonSerializable(typeof(CardRefundRequest))]
[JsonSerializable(typeof(CardRefundResult))]
[JsonSerializable(typeof(ShopeePayRefundRequest))]
[JsonSerializable(typeof(AkulakuRefundRequest))]
[JsonSerializable(typeof(WalletRefundResult))]
[JsonSerializable(typeof(LunasSandboxClock))]
[JsonSerializable(typeof(LunasSandboxReset))]
internal sealed partial class DokuJsonContext : JsonSerializerContext;

/// <summary>
/// DOKU's error bodies: Checkout's <c>{"error_messages": [...]}</c>, sometimes with <c>message</c>; the Direct API's
/// <c>{"error": {"code", "message", "type"}, "message": [...]}</c>; a gateway's Spring body whose <c>error</c> is a string.
/// </summary>
internal sealed class DokuErrorBody
{
    [JsonPropertyName("error_messages")] public List<string>? ErrorMessages { get; set; }

    [JsonPropertyName("message")]
    [JsonConverter(typeof(StringOrListConverter))]
    public List<string>? Message { get; set; }

    [JsonPropertyName("error")]
    [JsonConverter(typeof(ErrorDetailConverter))]
    public DokuErrorDetail? Error { get; set; }

    /// <summary>True when the body says it is an error (a 409 with it is not a replayed success).</summary>
    public bool IsError => ErrorMessages is not null || Error is not null;
}

/// <summary>The Direct API's <c>error</c> object.</summary>
internal sealed record DokuErrorDetail(string? Code, string? Message, string? Type);

/// <summary>Reads <c>error</c> as the Direct API's object, or as the bare string of a Spring error body.</summary>
internal sealed class ErrorDetailConverter : JsonConverter<DokuErrorDetail?>
{
    public override DokuErrorDetail? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new DokuErrorDetail(null, reader.GetString(), null);
            case JsonTokenType.StartObject:
                string? code = null, message = null, type = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    var value = reader.TokenType is JsonTokenType.String or JsonTokenType.Number ? Text(ref reader) : null;
                    reader.Skip();
                    (code, message, type) = name switch
                    {
                        "code" => (value, message, type),
                        "message" => (code, value, type),
                        "type" => (code, message, value),
                        _ => (code, message, type),
                    };
                }
                return new DokuErrorDetail(code, message, type);
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, DokuErrorDetail? value, JsonSerializerOptions options)
        => throw new NotSupportedException("error bodies are only read");

    private static string Text(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.String ? reader.GetString()!
            : Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
}

/// <summary>Reads <c>message</c> as a list of strings or a single string; other shapes are skipped (null).</summary>
internal sealed class StringOrListConverter : JsonConverter<List<string>?>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return [reader.GetString()!];
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                list.Add(reader.GetString()!);
            }
            else
            {
                reader.Skip();
            }
        }
        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<string>? value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value ?? [])
        {
            writer.WriteStringValue(item);
        }
        writer.WriteEndArray();
    }
}

/// <summary>Reads a JSON number (of any size) or string as its text; writes digits back as a bare number.</summary>
internal sealed class JsonNumberAsStringConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType switch
        {
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"Expected a number or a string, not {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else if (value.Length > 0 && value.All(char.IsAsciiDigit) && (value[0] != '0' || value.Length == 1))
        {
            writer.WriteRawValue(value, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

/// <summary>Reads a JSON string, number or boolean as text (a number exactly as written); writes a plain JSON string.</summary>
internal sealed class LenientStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            _ => throw new JsonException($"Expected a string, not {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
