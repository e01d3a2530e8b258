namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>
/// A customer's sufficient statistics in one time unit (days, weeks …, the same for every customer): Frequency x is the
/// number of repeat transactions (the first purchase is not counted), Recency t_x the time of the last repeat
/// transaction after the first purchase (0 when x = 0), Age T the time from the first purchase to the end of the
/// calibration period. MeanRepeatValue m_x is the mean value of the x repeat transactions (used by the Gamma–Gamma
/// model only). Weight counts identical customers.
/// </summary>
public sealed record RfmCustomer(double Frequency, double Recency, double Age, double MeanRepeatValue = 0, double Weight = 1);

internal static class RfmValidation
{
    public static void Check(IReadOnlyList<RfmCustomer> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        if (customers.Count == 0) throw new ArgumentException("at least one customer is needed", nameof(customers));
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i] ?? throw new ArgumentException("a customer is missing", $"customers[{i}]");
            if (!(c.Frequency >= 0) || double.IsInfinity(c.Frequency) || Math.Floor(c.Frequency) != c.Frequency)
                throw new ArgumentException("must be a whole number ≥ 0", $"customers[{i}].Frequency");
            if (!(c.Age > 0) || double.IsInfinity(c.Age))
                throw new ArgumentException("must be a finite number > 0", $"customers[{i}].Age");
            if (!(c.Recency >= 0) || c.Recency > c.Age)
                throw new ArgumentException("must lie between 0 and Age", $"customers[{i}].Recency");
            if (c.Frequency > 0 && c.Recency == 0)
                throw new ArgumentException("must be > 0 when Frequency > 0", $"customers[{i}].Recency");
            if (!(c.Weight > 0) || double.IsInfinity(c.Weight))
                throw new ArgumentException("must be a finite number > 0", $"customers[{i}].Weight");
        }
    }
}
