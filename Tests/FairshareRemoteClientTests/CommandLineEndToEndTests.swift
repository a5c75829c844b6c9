import FairshareCLI
import FairshareCore
import FairshareRemote
import Foundation
import Testing

/// The built `fairshare` binary (next to the test bundle) against the
/// mutual-TLS fake gateway: argv in, stdout, stderr and exit status out.
@Suite struct CommandLineEndToEndTests {
    struct Outcome {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fairshare")
    }

    static func fairshare(_ arguments: [String], environment: [String: String] = [:]) async throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"].merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let exited = AsyncStream<Int32> { continuation in
            process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        }
        try process.run()
        let stdout = Array(out.fileHandleForReading.readDataToEndOfFile())
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        var status: Int32 = -1
        for await s in exited { status = s }
        return Outcome(status: status, stdout: stdout, stderr: stderr)
    }

    static func tls(_ certs: TestCertificates, _ port: Int) -> [String] {
        ["--remote", "127.0.0.1:\(port)", "--ca", certs.ca, "--cert", certs.clientCert, "--key", certs.clientKey]
    }

    @Test func theBinaryTalksToTheGateway() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the fairshare product first")
        let certs = try TestCertificates.shared.get()
        let service = FakeJobsService()
        let output: [UInt8] = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        service.state.withLock {
            $0.rows = RemoteCommandsTests.jobs.map(RemoteMessages.query)
            $0.output = output
            $0.end = .exitCode(7)
        }
        try await MutualTLSTests.withGateway(certs, service: service) { port in
            let jobs = try await Self.fairshare(Self.tls(certs, port) + ["jobs"])
            #expect(jobs.status == 0)
            #expect(String(decoding: jobs.stdout, as: UTF8.self) == Jobs.table(JobsPage(jobs: RemoteCommandsTests.jobs)))

            let logs = try await Self.fairshare(["--remote=127.0.0.1:\(port)", "logs", "-f", "3"],
                                                environment: ["FAIRSHARE_REMOTE_CA": certs.ca, "FAIRSHARE_REMOTE_CERT": certs.clientCert,
                                                              "FAIRSHARE_REMOTE_KEY": certs.clientKey])
            #expect(logs.stdout == output)
            #expect(logs.status == 7)

            let run = try await Self.fairshare(["run", "--", "true"],
                                               environment: ["FAIRSHARE_REMOTE": "127.0.0.1:\(port)", "FAIRSHARE_REMOTE_CA": certs.ca,
                                                             "FAIRSHARE_REMOTE_CERT": certs.clientCert, "FAIRSHARE_REMOTE_KEY": certs.clientKey])
            #expect(run.status == 0)
            #expect(run.stdout == Array("41\n".utf8))

            let request = try await Self.fairshare(Self.tls(certs, port) + ["request", "--cpu", "2"])
            #expect(request.status == 64)
            #expect(request.stderr == "fairshare: 'request' works only on this machine; remote commands are run, jobs, logs, stop, status\n")

            service.state.withLock { $0.failure = RemoteErrorsFixture.rpcError(.permissionDenied, "a reader certificate cannot stop jobs") }
            let stop = try await Self.fairshare(Self.tls(certs, port) + ["stop", "3"])
            #expect(stop.status == 77)
            #expect(stop.stderr == "fairshare: a reader certificate cannot stop jobs\n")
        }
    }

    @Test func missingFilesAndBadAddressesAreUsageErrors() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the fairshare product first")
        let missing = try await Self.fairshare(["--remote", "127.0.0.1:7443", "jobs"])
        #expect(missing.status == 64)
        #expect(missing.stderr.hasPrefix("fairshare: cannot use the CA certificate /nonexistent/.config/fairshare/remote/ca.crt (the default; "))
        let bad = try await Self.fairshare(["--remote", "127.0.0.1", "jobs"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("give HOST:PORT"))
    }
}
