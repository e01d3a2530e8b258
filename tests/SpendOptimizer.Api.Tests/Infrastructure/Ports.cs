using System.Net;
using System.Net.Sockets;

namespace SpendOptimizer.Api.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A loopback port free right now, for a host that must listen on a real socket.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
