using Kilowallet.Bench;

return await BenchRunner.RunAsync(args);
