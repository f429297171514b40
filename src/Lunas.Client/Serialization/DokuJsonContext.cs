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
internal sealed partial class DokuJsonContext : JsonSerializerContext;

/// <summary>DOKU's error body: <c>{"error_messages": [...]}</c>, sometimes with <c>message</c>.</summary>
internal sealed class DokuErrorBody
{
    [JsonPropertyName("error_messages")] public List<string>? ErrorMessages { get; set; }

    [JsonPropertyName("message")] public List<string>? Message { get; set; }
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
