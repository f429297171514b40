using Lunas.Protocol.Wire;

namespace Lunas.Protocol.Signing;

/// <summary>The four signature headers of a request or notification, each its single value or null.</summary>
/// <param name="ClientId">The <c>Client-Id</c> header.</param>
/// <param name="RequestId">The <c>Request-Id</c> header.</param>
/// <param name="Timestamp">The <c>Request-Timestamp</c> header.</param>
/// <param name="Signature">The <c>Signature</c> header.</param>
public readonly record struct DokuSignedHeaders(string? ClientId, string? RequestId, string? Timestamp, string? Signature);

/// <summary>Which of the four headers are missing, or (for the ids) not of the shape an id may have.</summary>
[Flags]
public enum DokuHeaderGaps
{
    /// <summary>All four are present.</summary>
    None = 0,
    /// <summary><c>Client-Id</c> is missing.</summary>
    ClientId = 1,
    /// <summary><c>Request-Id</c> is missing.</summary>
    RequestId = 2,
    /// <summary><c>Request-Id</c> is longer than <see cref="DokuHeaders.MaxRequestIdLength"/>.</summary>
    RequestIdTooLong = 4,
    /// <summary><c>Request-Timestamp</c> is missing.</summary>
    Timestamp = 8,
    /// <summary><c>Signature</c> is missing.</summary>
    Signature = 16,
    /// <summary><c>Client-Id</c> is not printable ASCII of at most <see cref="DokuHeaders.MaxClientIdLength"/> characters.</summary>
    ClientIdMalformed = 32,
    /// <summary><c>Request-Id</c> is not printable ASCII.</summary>
    RequestIdMalformed = 64,
}

/// <summary>The first check a signed message failed, in the order they run.</summary>
public enum DokuCheckOutcome
{
    /// <summary>Every check passed.</summary>
    Valid,
    /// <summary>A header is missing or malformed; <see cref="DokuCheck.Gaps"/> says which.</summary>
    HeadersMissing,
    /// <summary><c>Request-Timestamp</c> is not UTC in the DOKU form.</summary>
    TimestampMalformed,
    /// <summary><c>Request-Timestamp</c> is further from the clock than the tolerance.</summary>
    TimestampOutOfTolerance,
    /// <summary><c>Signature</c> is not <c>HMACSHA256=</c> and the Base64 of a 32-byte MAC.</summary>
    SignatureMalformed,
    /// <summary>No Secret Key is known for the <c>Client-Id</c>.</summary>
    UnknownClient,
    /// <summary>The signature is not the one of these headers, target and body under the Secret Key.</summary>
    SignatureMismatch,
}

/// <summary>The result of <see cref="DokuRequestCheck.Verify"/>.</summary>
/// <param name="Outcome">The first failed check, or <see cref="DokuCheckOutcome.Valid"/>.</param>
/// <param name="Gaps">The missing headers when <paramref name="Outcome"/> is <see cref="DokuCheckOutcome.HeadersMissing"/>.</param>
/// <param name="Now">The clock reading the timestamp was compared with.</param>
public readonly record struct DokuCheck(DokuCheckOutcome Outcome, DokuHeaderGaps Gaps, DateTimeOffset Now)
{
    /// <summary>True when every check passed.</summary>
    public bool IsValid => Outcome == DokuCheckOutcome.Valid;
}

/// <summary>
/// The checks of a DOKU-signed message, shared by the server (requests) and the SDK (notifications): the four headers
/// are filled, the timestamp is well formed and within the tolerance, the signature is well formed, the client has a
/// key, and the signature matches (compared in constant time). Pure: the caller reads the headers and finds the key.
/// </summary>
public static class DokuRequestCheck
{
    /// <summary>Which headers are missing (empty or whitespace), too long or, for the ids, not printable ASCII.</summary>
    /// <param name="headers">The four headers.</param>
    public static DokuHeaderGaps FindGaps(DokuSignedHeaders headers)
    {
        var gaps = DokuHeaderGaps.None;
        if (string.IsNullOrWhiteSpace(headers.ClientId)) gaps |= DokuHeaderGaps.ClientId;
        else if (headers.ClientId.Length > DokuHeaders.MaxClientIdLength || !DokuHeaders.IsPrintableAscii(headers.ClientId))
            gaps |= DokuHeaderGaps.ClientIdMalformed;
        if (string.IsNullOrWhiteSpace(headers.RequestId)) gaps |= DokuHeaderGaps.RequestId;
        else if (headers.RequestId.Length > DokuHeaders.MaxRequestIdLength) gaps |= DokuHeaderGaps.RequestIdTooLong;
        else if (!DokuHeaders.IsPrintableAscii(headers.RequestId)) gaps |= DokuHeaderGaps.RequestIdMalformed;
        if (string.IsNullOrWhiteSpace(headers.Timestamp)) gaps |= DokuHeaderGaps.Timestamp;
        if (string.IsNullOrWhiteSpace(headers.Signature)) gaps |= DokuHeaderGaps.Signature;
        return gaps;
    }

    /// <summary>One sentence per gap, naming the header and never quoting its value.</summary>
    /// <param name="gaps">What <see cref="FindGaps"/> found.</param>
    public static List<string> Describe(DokuHeaderGaps gaps)
    {
        var problems = new List<string>(2);
        if (gaps.HasFlag(DokuHeaderGaps.ClientId)) problems.Add("Client-Id header must be filled");
        if (gaps.HasFlag(DokuHeaderGaps.ClientIdMalformed))
            problems.Add($"Client-Id header must be printable ASCII of at most {DokuHeaders.MaxClientIdLength} characters");
        if (gaps.HasFlag(DokuHeaderGaps.RequestId)) problems.Add("Request-Id header must be filled");
        if (gaps.HasFlag(DokuHeaderGaps.RequestIdTooLong)) problems.Add($"Request-Id header max length is {DokuHeaders.MaxRequestIdLength}");
        if (gaps.HasFlag(DokuHeaderGaps.RequestIdMalformed)) problems.Add("Request-Id header must be printable ASCII");
        if (gaps.HasFlag(DokuHeaderGaps.Timestamp)) problems.Add("Request-Timestamp header must be filled");
        if (gaps.HasFlag(DokuHeaderGaps.Signature)) problems.Add("Signature header must be filled");
        return problems;
    }

    /// <summary>
    /// The checks that need neither the key nor the body, in order: the headers' shape, the timestamp's form and
    /// tolerance, the signature's form. A receiver runs these before it looks anything up or reads the body.
    /// </summary>
    /// <param name="headers">The four headers.</param>
    /// <param name="now">The receiver's clock.</param>
    /// <param name="tolerance">How far the timestamp may be from <paramref name="now"/>.</param>
    public static DokuCheck CheckShape(DokuSignedHeaders headers, DateTimeOffset now, TimeSpan tolerance)
    {
        var gaps = FindGaps(headers);
        if (gaps != DokuHeaderGaps.None) return new DokuCheck(DokuCheckOutcome.HeadersMissing, gaps, now);
        var outcome = !DokuSignature.TryParseTimestamp(headers.Timestamp, out var sentAt) ? DokuCheckOutcome.TimestampMalformed
            : (now - sentAt).Duration() > tolerance ? DokuCheckOutcome.TimestampOutOfTolerance
            : !DokuSignature.IsWellFormed(headers.Signature) ? DokuCheckOutcome.SignatureMalformed
            : DokuCheckOutcome.Valid;
        return new DokuCheck(outcome, gaps, now);
    }

    /// <summary>Runs every check in order and returns the first that fails.</summary>
    /// <param name="headers">The four headers.</param>
    /// <param name="secretKey">The Secret Key of <see cref="DokuSignedHeaders.ClientId"/>, or null when the client is unknown.</param>
    /// <param name="requestTarget">The path the message was sent to, without the query.</param>
    /// <param name="digest">The body digest, or null for a message without a body.</param>
    /// <param name="now">The receiver's clock.</param>
    /// <param name="tolerance">How far the timestamp may be from <paramref name="now"/>.</param>
    public static DokuCheck Verify(DokuSignedHeaders headers, string? secretKey, string requestTarget, string? digest,
        DateTimeOffset now, TimeSpan tolerance)
    {
        var shape = CheckShape(headers, now, tolerance);
        if (!shape.IsValid) return shape;
        var outcome = secretKey is null ? DokuCheckOutcome.UnknownClient
            : !DokuSignature.Verify(secretKey, headers.ClientId!, headers.RequestId!, headers.Timestamp!, requestTarget, digest,
                headers.Signature!) ? DokuCheckOutcome.SignatureMismatch
            : DokuCheckOutcome.Valid;
        return shape with { Outcome = outcome };
    }
}
