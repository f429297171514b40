using System.Buffers;

namespace Lunas.Server.Infrastructure;

/// <summary>Reads the raw body bytes once (the signature is over exactly these), refusing more than the limit.</summary>
public static class RequestBody
{
    private const int FirstBuffer = 4096;

    public sealed record Result(ReadOnlyMemory<byte> Bytes, bool TooLarge)
    {
        public static readonly Result None = new(default, false);
    }

    /// <summary>
    /// The buffer grows with the bytes that arrive, never with what Content-Length promises: a client that declares a
    /// megabyte and sends nothing holds 4 KB.
    /// </summary>
    public static async Task<Result> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return new Result(default, true);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(FirstBuffer);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var n = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (n == 0) break;
                length += n;
                if (length > maxBytes)
                {
                    return new Result(default, true);
                }
            }
            return new Result(buffer.AsSpan(0, length).ToArray(), false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
