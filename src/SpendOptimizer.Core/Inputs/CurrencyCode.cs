namespace SpendOptimizer.Core.Inputs;

/// <summary>
/// ISO 4217 codes of currencies in use as money. Fund codes, precious metals and testing codes (BOV, XAU, XTS, XXX …)
/// are left out: no advertiser's spend is counted in them. A fixed list, because the service runs with invariant
/// globalization and so has no culture data to ask.
/// </summary>
public static class CurrencyCode
{
    public const string Default = "USD";

    private static readonly HashSet<string> Codes = new("""
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP
        CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF
        IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK
        MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
        SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS
        VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    /// <summary>The code as ISO 4217 writes it (capitals), or null when <paramref name="code"/> names no currency the service accepts.</summary>
    public static string? Normalize(string code) => code.ToUpperInvariant() is var upper && Codes.Contains(upper) ? upper : null;
}
