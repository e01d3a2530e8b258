using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task TwoInstancesMigratingAnEmptyDatabaseAtOnceApplyEachScriptExactlyOnce()
    {
        var name = "mig_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = await ApiFactory.OpenDbAsync())
        await using (var create = new NpgsqlCommand($"create database {name}", admin))
            await create.ExecuteNonQueryAsync();
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(ApiFactory.ConnectionString) { Database = name, Pooling = false }.ConnectionString;
            await using var a = NpgsqlDataSource.Create(cs);
            await using var b = NpgsqlDataSource.Create(cs);
            var applied = await Task.WhenAll(
                new Migrator(a, NullLogger<Migrator>.Instance).MigrateAsync(),
                new Migrator(b, NullLogger<Migrator>.Instance).MigrateAsync());
            var scripts = Migrator.Scripts().Count;
            Assert.True(scripts > 0);
            Assert.Equal(scripts, applied.Sum());

            Assert.Equal(0, await new Migrator(a, NullLogger<Migrator>.Instance).MigrateAsync());
            await using var cmd = a.CreateCommand("select count(*) from schema_migrations");
            Assert.Equal((long)scripts, await cmd.ExecuteScalarAsync());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = await ApiFactory.OpenDbAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
