using PreferenceStudio.Data;
using PreferenceStudio.Jobs;

// A worker is one node of the job cluster: start as many as there are machines (GPU nodes) to share the work.
var builder = Host.CreateApplicationBuilder(args);

builder.AddPreferenceStudioData();
builder.AddPreferenceStudioJobs(executeByDefault: true);

builder.Build().Run();
