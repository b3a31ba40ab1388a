using System.CommandLine;
using VmTeleport.Cli.Commands;

var root = new RootCommand("VM Teleport: move powered-off VMs by sending only what the destination lacks.")
{
    InfoCommand.Create(),
    LsCommand.Create(),
    CatCommand.Create(),
    TreeCommand.Create(),
    InspectCommand.Create(),
    CandidatesCommand.Create(),
    PlanCommand.Create(),
    DeployCommand.Create(),
    IndexCommand.Create(),
    RebuildCommand.Create(),
    VerifyCommand.Create(),
    ServeCommand.Create(),
    FetchCommand.Create(),
    PullCommand.Create(),
    ReportCommand.Create(),
};
return root.Parse(args).Invoke();
