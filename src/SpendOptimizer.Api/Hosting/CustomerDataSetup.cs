using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Hosting;

public static class CustomerDataSetup
{
    /// <summary>Stores and the retention service behind the customer-data routes.</summary>
    public static IServiceCollection AddCustomerData(this IServiceCollection services) =>
        services.AddSingleton<CustomerStore>().AddSingleton<RetentionStore>().AddSingleton<RetentionService>();
}
