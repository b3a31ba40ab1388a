using System.CommandLine;

var root = new RootCommand("VM Teleport: move powered-off VMs by sending only what the destination lacks.");
return root.Parse(args).Invoke();
