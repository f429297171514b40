using Lunas.Bench;

// Lunas.Bench: the parts of bench/run.sh and bench/notify.sh that need .NET.
//   gen  --client-id X --secret-key Y --count N --out FILE [--target /checkout/v1/payment] [--first I]
//   bare --urls http://127.0.0.1:PORT
//   receiver --urls http://127.0.0.1:PORT [--secret-key Y]
//   pay --url URL --client-id X --secret-key Y --count N [--mode throughput|latency] ...
//   pgdb create|drop --connection CS --database NAME [--pool-size N]
try
{
    return args.FirstOrDefault() switch
    {
        "gen" => RequestGenerator.Run(Arguments.Parse(args.AsSpan(1))),
        "bare" => await BareServer.RunAsync(args[1..]),
        "receiver" => await Receiver.RunAsync(args[1..]),
        "pay" => await PayDriver.RunAsync(Arguments.Parse(args.AsSpan(1))),
        "pgdb" when args.Length > 1 => await PgDatabase.RunAsync(args[1], Arguments.Parse(args.AsSpan(2))),
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
          Lunas.Bench gen --client-id X --secret-key Y --count N --out FILE [--target /checkout/v1/payment] [--first I]
              writes N pre-signed, unique create-payment requests (invoice indexes I..I+N-1), one per line,
              for bench/create-payment.lua
          Lunas.Bench bare --urls http://127.0.0.1:PORT
              serves POST /checkout/v1/payment: parses the JSON body and writes it back (the baseline)
          Lunas.Bench receiver --urls http://127.0.0.1:PORT [--secret-key Y]
              answers 200 to any POST and records each notification's arrival by invoice number;
              GET /stats (counts, first/last arrival, rates), GET /wait?invoice=X&timeout_ms=N (long poll)
          Lunas.Bench pay --url URL --client-id X --secret-key Y --count N [--mode throughput] [--concurrency 32]
                          [--channel VIRTUAL_ACCOUNT_BCA] [--prefix N] [--out FILE]
              creates N orders and pays each through POST /sandbox/v1/payments, at most C at once
          Lunas.Bench pay --mode latency --receiver URL --url URL --client-id X --secret-key Y --count N
                          [--wait-timeout-ms 10000] [--gap-ms 0] [--prefix L] [--out FILE]
              one order at a time: create, pay, wait for its notification at the receiver; prints the latencies
          Lunas.Bench pgdb create|drop --connection CS --database NAME [--pool-size N]
              creates (printing Lunas's connection string) or drops a PostgreSQL database
        """);
    return 2;
}
