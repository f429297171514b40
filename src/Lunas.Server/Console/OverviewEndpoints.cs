namespace Lunas.Server.Console;

public static class OverviewEndpoints
{
    public static void MapConsoleOverview(this RouteGroupBuilder console)
        => console.MapGet("/overview", () => TypedResults.Redirect(ConsoleSetup.Prefix + "/orders"));
}
