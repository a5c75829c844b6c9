import ArgumentParser
import FairshareCore
import FairshareSystem

/// Options every client command takes.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The daemon's socket.",
        discussion: "Defaults to $FAIRSHARE_SOCKET, then /run/fairshare.sock.",
        valueName: "path"))
    var socket: String?

    var socketPath: String { socket ?? Self.defaultSocketPath }

    /// $FAIRSHARE_SOCKET, then /run/fairshare.sock.
    static var defaultSocketPath: String { Environment.value("FAIRSHARE_SOCKET") ?? DaemonClient.defaultSocket }

    func validate() throws {
        if let socket, socket.utf8.count > UnixSocket.maxPathLength {
            throw ValidationError("--socket path is longer than \(UnixSocket.maxPathLength) bytes")
        }
    }
}

/// `--json`, for commands that print data.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the result as JSON (the daemon's result object, indented).")
    var json = false
}

/// Asks the daemon for `request` and prints the result: as JSON with
/// `--json`, else through `render`.
func show<T: ReplyValue>(_ request: ClientRequest, _ client: ClientOptions, _ output: OutputOptions, render: @escaping (T) -> String) throws {
    try show(request, socketPath: client.socketPath, json: output.json, render: render)
}

/// The result must read as `T` either way; `--json` prints it as sent.
func show<T: ReplyValue>(_ request: ClientRequest, socketPath: String, json: Bool, render: (T) -> String) throws {
    try withDaemon(socketPath: socketPath) { daemon throws(ClientFailure) in
        let result = try daemon.call(request)
        let reply = try T.read(result)
        StandardStreams.out(json ? result.pretty + "\n" : render(reply))
    }
}

/// Runs `body` against the daemon, printing failures the way every command
/// does: `fairshare: message` on stderr and the documented exit code.
func withDaemon(_ options: ClientOptions, _ body: (DaemonClient) throws(ClientFailure) -> Void) throws {
    try withDaemon(socketPath: options.socketPath, body)
}

func withDaemon(socketPath: String, _ body: (DaemonClient) throws(ClientFailure) -> Void) throws {
    do throws(ClientFailure) {
        let client = try DaemonClient.connect(socketPath)
        defer { client.close() }
        try body(client)
    } catch {
        StandardStreams.err("fairshare: \(error.message)\n")
        throw ExitCode(error.status)
    }
}
