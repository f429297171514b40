using Lunas.Bench;

// Lunas.Bench: the two halves of bench/run.sh that need .NET.
//   gen  --client-id X --secret-key Y --count N --out FILE [--target /checkout/v1/payment]
//   bare --urls http://127.0.0.1:PORT
try
{
    return args.FirstOrDefault() switch
    {
        "gen" => RequestGenerator.Run(Arguments.Parse(args.AsSpan(1))),
        "bare" => await BareServer.RunAsync(args[1..]),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("error: " + e.Message);
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage:
          Lunas.Bench gen --client-id X --secret-key Y --count N --out FILE [--target /checkout/v1/payment]
              writes N pre-signed, unique create-payment requests, one per line, for bench/create-payment.lua
          Lunas.Bench bare --urls http://127.0.0.1:PORT
              serves POST /checkout/v1/payment: parses the JSON body and writes it back (the baseline)
        """);
    return 2;
}
