using PreferenceStudio.Data;
using PreferenceStudio.Jobs;

// A worker runs a Hangfire server on the queues in Jobs:Queues: start one per machine (GPU nodes listen to "training").
var builder = Host.CreateApplicationBuilder(args);

builder.AddPreferenceStudioData();
builder.AddPreferenceStudioJobs(executeByDefault: true);

builder.Build().Run();
