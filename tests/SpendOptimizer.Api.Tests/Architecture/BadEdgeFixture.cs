// Types whose references break the arrows on purpose: the checker must see through a method body, a lambda and a
// signature to flag them.
namespace SpendOptimizer.Api.Tests.Architecture.Fixture.Endpoints
{
    public static class Handler
    {
        public static int Answer() => Storage.Store.Count();
    }
}

namespace SpendOptimizer.Api.Tests.Architecture.Fixture.Storage
{
    public static class Store
    {
        // Storage reaching up to an endpoint, hidden in a lambda, and to HTTP in a signature.
        public static int Count() => new Func<string>(() => nameof(Endpoints.Handler)).Invoke().Length + Services.Planner.Plan();

        public static bool Ok(Microsoft.AspNetCore.Http.IResult? result) => result is null;
    }
}

namespace SpendOptimizer.Api.Tests.Architecture.Fixture.Services
{
    public static class Planner
    {
        public static int Plan() => Storage.Store.Ok(null) ? 1 : 0;
    }
}
