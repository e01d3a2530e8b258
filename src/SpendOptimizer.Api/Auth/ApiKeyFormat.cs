using System.Security.Cryptography;
using System.Text;

namespace SpendOptimizer.Api.Auth;

/// <summary>Keys are 256 random bits, shown once; only their SHA-256 is kept.</summary>
public static class ApiKeyFormat
{
    private const string Prefix = "sok_";

    /// <summary>A key is the prefix and 43 base64url characters (32 bytes, unpadded).</summary>
    public const int Length = 47;

    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>
    /// Whether <paramref name="key"/> could be a key this service issued. Anything else is refused before any lookup,
    /// so garbage costs no database work.
    /// </summary>
    public static bool IsWellFormed(string key)
    {
        if (key.Length != Length || !key.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        foreach (var c in key.AsSpan(Prefix.Length))
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        return true;
    }

    /// <summary>A short, non-secret handle to tell keys apart in lists and logs.</summary>
    public static string DisplayPrefix(string key) => key.Length > 12 ? key[..12] : key;
}
