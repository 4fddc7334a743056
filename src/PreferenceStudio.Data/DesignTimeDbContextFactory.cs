using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PreferenceStudio.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a running app or database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PreferenceStudioDbContext>
{
    public PreferenceStudioDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PreferenceStudioDbContext>();
        options.UsePreferenceStudioDatabase(Environment.GetEnvironmentVariable("ConnectionStrings__Default") ?? "Host=localhost;Database=design_time");
        return new PreferenceStudioDbContext(options.Options);
    }
}
