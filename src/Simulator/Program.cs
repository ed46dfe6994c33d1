// miraflow: the simulator command (docs/simulator.md). Everything is in MiraflowCli.
return await Miraflow.Simulator.Cli.MiraflowCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
