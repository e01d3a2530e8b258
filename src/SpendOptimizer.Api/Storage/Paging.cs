using SpendOptimizer.Api.Contracts;

namespace SpendOptimizer.Api.Storage;

public static class Paging
{
    /// <summary>Queries ask for one row more than a page; its presence means there is a next page.</summary>
    public static Page<T> Page<T>(List<T> items, int pageSize, Func<T, string> cursorOf)
    {
        if (items.Count <= pageSize) return new Page<T>(items, null);
        items.RemoveAt(items.Count - 1);
        return new Page<T>(items, cursorOf(items[^1]));
    }
}
