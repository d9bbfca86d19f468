using MultiCluster.Simulator.Hosting;

return await SimulatorCommandLine.RunAsync(args);
