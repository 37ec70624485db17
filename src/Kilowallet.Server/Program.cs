using Kilowallet.Server.Admin;
using Kilowallet.Server.Hosting;

// One executable: with a command (import, export, backup, …) it administers; without, it serves.
if (AdminCommandLine.IsCommand(args))
{
    return await AdminCommandLine.RunAsync(args);
}

return await ServerHost.RunAsync(args);

/// <summary>Entry point; public so tests can host the server with WebApplicationFactory.</summary>
public partial class Program;
