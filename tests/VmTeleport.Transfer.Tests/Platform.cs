// The tests check Unix file modes (token file, certificate key file); VM Teleport runs on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
