using Npgsql;
using PreferenceStudio.Data;

namespace PreferenceStudio.Integration.Tests.Data;

public sealed class PreparedStatementsTests
{
    [Fact]
    public void WithPreparedStatements_NotSet_PreparesStatementsSentTwice()
    {
        var builder = new NpgsqlConnectionStringBuilder(DataExtensions.WithPreparedStatements("Host=db;Database=ps;Username=u"));

        (builder.MaxAutoPrepare, builder.AutoPrepareMinUsages).ShouldBe((64, 2));
        (builder.Host, builder.Database, builder.Username).ShouldBe(("db", "ps", "u"));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;max auto prepare=8", 8)]
    public void WithPreparedStatements_SetByTheConnectionString_KeepsItsValue(string connectionString, int expected) =>
        new NpgsqlConnectionStringBuilder(DataExtensions.WithPreparedStatements(connectionString)).MaxAutoPrepare.ShouldBe(expected);
}
