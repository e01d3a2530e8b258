using System.Security.Cryptography;
using System.Text;

namespace SpendOptimizer.Api.Auth;

/// <summary>Keys are 256 random bits, shown once; only their SHA-256 is kept.</summary>
public static class ApiKeyFormat
{
    private const string Prefix = "sok_";

    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>A short, non-secret handle to tell keys apart in lists and logs.</summary>
    public static string DisplayPrefix(string key) => key.Length > 12 ? key[..12] : key;
}
