import Foundation

/// Certificates made by contrib/fairshare-remote-certs (openssl), as an
/// administrator would make them: a CA with a server certificate for
/// 127.0.0.1 (and one for gpu1.example) and a writer certificate for alice, and an unrelated CA with
/// its own client and server certificates.
struct TestCertificates: Sendable {
    let directory: String
    var ca: String { directory + "/main/ca.crt" }
    var serverCert: String { directory + "/main/server-127.0.0.1.crt" }
    var serverKey: String { directory + "/main/server-127.0.0.1.key" }
    /// A server certificate of the main CA for a name, not for 127.0.0.1.
    var namedServerCert: String { directory + "/main/server-gpu1.example.crt" }
    var namedServerKey: String { directory + "/main/server-gpu1.example.key" }
    var clientCert: String { directory + "/main/alice-writer.crt" }
    var clientKey: String { directory + "/main/alice-writer.key" }
    var otherCA: String { directory + "/other/ca.crt" }
    var otherClientCert: String { directory + "/other/mallory-writer.crt" }
    var otherClientKey: String { directory + "/other/mallory-writer.key" }

    struct ScriptFailed: Error, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var description: String { "fairshare-remote-certs \(arguments.joined(separator: " ")) exited with \(status)" }
    }

    /// Made once per test run, in a new temporary directory.
    static let shared: Result<TestCertificates, any Error> = Result { try make() }

    static func make() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fairshare-remote-client-\(UUID().uuidString)").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("contrib/fairshare-remote-certs").path
        for arguments in [["ca", "\(directory)/main"], ["server", "\(directory)/main", "127.0.0.1"], ["server", "\(directory)/main", "gpu1.example"],
                          ["client", "\(directory)/main", "alice", "writer"],
                          ["ca", "\(directory)/other"], ["client", "\(directory)/other", "mallory", "writer"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [script] + arguments
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ScriptFailed(arguments: arguments, status: process.terminationStatus) }
        }
        return TestCertificates(directory: directory)
    }
}
