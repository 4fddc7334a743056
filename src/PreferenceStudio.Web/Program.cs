using PreferenceStudio.Data;
using PreferenceStudio.Jobs;
using PreferenceStudio.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddPreferenceStudioData();
builder.AddPreferenceStudioJobs(executeByDefault: false);
builder.AddPreferenceStudioWeb();

var app = builder.Build();

if (await app.RunCommandAsync(args))
    return;

app.UsePreferenceStudioWeb();
app.MapPreferenceStudioWeb();

app.Run();
