using System.Buffers;

namespace Lunas.Server.Infrastructure;

/// <summary>Reads the raw body bytes once (the signature is over exactly these), refusing more than the limit.</summary>
public static class RequestBody
{
    public sealed record Result(ReadOnlyMemory<byte> Bytes, bool TooLarge)
    {
        public static readonly Result None = new(default, false);
    }

    public static async Task<Result> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared)
        {
            if (declared > maxBytes)
            {
                return new Result(default, true);
            }
            var exact = new byte[declared];
            var read = 0;
            while (read < exact.Length)
            {
                var n = await request.Body.ReadAsync(exact.AsMemory(read), cancellationToken);
                if (n == 0) break;
                read += n;
            }
            return new Result(exact.AsMemory(0, read), false);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return new Result(default, true);
                    }
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
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
