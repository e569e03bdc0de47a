using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace VitalEvents.Tests;

/// <summary>What the proxy does to the next COMMIT a client sends.</summary>
public enum CommitFault
{
    None,
    /// <summary>The connection breaks before COMMIT reaches PostgreSQL: the transaction rolls back.</summary>
    DropBeforeCommit,
    /// <summary>COMMIT reaches PostgreSQL and commits, and the connection breaks before the answer reaches the client.</summary>
    DropAfterCommit,
}

/// <summary>
/// A TCP proxy between the registry and the real PostgreSQL that fails on purpose: it reads the client side of the wire
/// protocol and breaks the connection at a COMMIT (before or after PostgreSQL receives it), or refuses every connection,
/// as a database that is down.
/// </summary>
public sealed class PostgresProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly EndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private int _fault;

    public PostgresProxy(string upstreamConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(upstreamConnectionString);
        _upstream = new DnsEndPoint(builder.Host!, builder.Port);
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The connection string of <paramref name="upstream"/>, through this proxy.</summary>
    public string Through(string upstream) => new NpgsqlConnectionStringBuilder(upstream)
    {
        Host = "127.0.0.1", Port = Port, SslMode = SslMode.Disable, Pooling = true, Timeout = 3, CommandTimeout = 10,
    }.ConnectionString;

    /// <summary>The fault for the next COMMIT any client sends; it applies once.</summary>
    public CommitFault NextCommit
    {
        get => (CommitFault)Volatile.Read(ref _fault);
        set => Volatile.Write(ref _fault, (int)value);
    }

    /// <summary>The COMMITs a fault was applied to.</summary>
    public int FaultsApplied;

    /// <summary>
    /// When set, the database stays away from the moment a fault is applied: new connections are refused at once (the open
    /// ones live until <see cref="Down"/>), so a check of the commit's outcome cannot slip in before the test takes it down.
    /// </summary>
    public bool DownAfterFault { get; set; }

    private volatile bool _refusing;

    /// <summary>While true, every connection is refused and every open one is broken, as when the database is down.</summary>
    public bool Down
    {
        get;
        set
        {
            field = value;
            _refusing = value;
            if (value)
                lock (_open)
                    foreach (var socket in _open) socket.Close();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            if (Down || _refusing)
            {
                client.Close();
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(_upstream, _stop.Token);
        }
        catch (Exception)
        {
            client.Close();
            server.Dispose();
            return;
        }
        lock (_open) _open.AddRange([client, server]);
        var dropOnAnswer = new TaskCompletionSource();
        var fromServer = PumpServerAsync(server, client, dropOnAnswer.Task);
        try
        {
            await PumpClientAsync(client, server, dropOnAnswer);
        }
        catch (Exception)
        {
        }
        finally
        {
            await Task.WhenAny(fromServer, Task.Delay(2000));
            client.Close();
            server.Close();
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(server);
            }
        }
    }

    /// <summary>Client to server, message by message: the startup packets, then typed messages, watching for COMMIT.</summary>
    private async Task PumpClientAsync(Socket client, Socket server, TaskCompletionSource dropOnAnswer)
    {
        using var stream = new NetworkStream(client, ownsSocket: false);
        // Startup: length-prefixed packets without a type; SSL and GSS requests (8 bytes) come before the real one.
        while (true)
        {
            var length = await ReadInt32Async(stream);
            var packet = new byte[length];
            BinaryPrimitives.WriteInt32BigEndian(packet, length);
            await stream.ReadExactlyAsync(packet.AsMemory(4), _stop.Token);
            await server.SendAsync(packet, SocketFlags.None, _stop.Token);
            if (length != 8) break;
        }
        var header = new byte[5];
        while (true)
        {
            await stream.ReadExactlyAsync(header, _stop.Token);
            var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
            var message = new byte[1 + length];
            header.CopyTo(message, 0);
            await stream.ReadExactlyAsync(message.AsMemory(5), _stop.Token);
            if (header[0] == (byte)'Q' && Encoding.ASCII.GetString(message, 5, Math.Min(6, length - 4)).Equals("COMMIT", StringComparison.OrdinalIgnoreCase)
                && Interlocked.Exchange(ref _fault, (int)CommitFault.None) is var fault and not (int)CommitFault.None)
            {
                if (DownAfterFault) _refusing = true;
                Interlocked.Increment(ref FaultsApplied);
                if (fault == (int)CommitFault.DropBeforeCommit) return;
                dropOnAnswer.SetResult();   // before sending: the answer must not slip through
                await server.SendAsync(message, SocketFlags.None, _stop.Token);
                return;
            }
            await server.SendAsync(message, SocketFlags.None, _stop.Token);
        }
    }

    /// <summary>Server to client as it comes, until told to drop the answer to a COMMIT: then it waits for that answer and breaks both ends.</summary>
    private async Task PumpServerAsync(Socket server, Socket client, Task dropOnAnswer)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await server.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) return;
                if (dropOnAnswer.IsCompleted) return;   // PostgreSQL has answered the COMMIT: it committed; the client never hears it.
                await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception)
        {
        }
        finally
        {
            client.Close();
        }
    }

    private async Task<int> ReadInt32Async(Stream stream)
    {
        var bytes = new byte[4];
        await stream.ReadExactlyAsync(bytes, _stop.Token);
        return BinaryPrimitives.ReadInt32BigEndian(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_open)
            foreach (var socket in _open) socket.Close();
        _stop.Dispose();
    }
}
