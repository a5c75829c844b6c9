import FairshareCLI
import FairshareCore
import FairshareRemote
@testable import FairshareRemoteClient
import Foundation
import Testing

@Suite struct RemoteCommandsTests {
    static let jobs: [JobReply] = [
        JobReply(job: Job(id: 7, uid: 1001, user: "alice", name: "train", argv: ["/usr/bin/python3", "train.py", "--epochs", "3"],
                          started: 1_790_000_000, end: nil),
                 unit: "fairshare-1001-job-7.service", state: .running, pid: 4242, usage: JobUsage(cpuUsec: 93_000_000, mem: 512 << 20)),
        JobReply(job: Job(id: 8, uid: 1001, user: "alice", name: nil, argv: ["/bin/false"], started: 1_790_000_060,
                          end: JobEnd(exitStatus: 1, signal: nil, stopped: false, ended: 1_790_000_061)),
                 unit: "fairshare-1001-job-8.service", state: .exited, pid: nil, usage: nil),
        JobReply(job: Job(id: 9, uid: 1002, user: "bob", name: "sim", argv: ["/opt/sim"], started: 1_790_000_120,
                          end: JobEnd(exitStatus: nil, signal: 15, stopped: true, ended: 1_790_000_200)),
                 unit: "fairshare-1002-job-9.service", state: .stopped, pid: nil, usage: nil),
    ]

    static func parse<C: RemoteCommand>(_ type: C.Type, _ arguments: [String]) throws -> C {
        try #require(try RemoteFairshare.parseAsRoot(RemoteInvocation(["--remote", "127.0.0.1:1"] + arguments).parserArguments) as? C)
    }

    @Test func jobsPrintsTheLocalTable() async throws {
        let service = FakeJobsService()
        service.state.withLock { $0.rows = Self.jobs.map(RemoteMessages.query) }
        let out = CapturedOutput()
        let command = try Self.parse(RemoteJobs.self, ["jobs", "--all"])
        let status = try await FakeGateway.with(service) { try await command.perform($0, out: out.sink) }
        #expect(status == 0)
        #expect(out.text == Jobs.table(JobsPage(jobs: Self.jobs)))
        #expect(out.text.contains("/usr/bin/python3 train.py --epochs 3"))
        #expect(service.state.withLock { $0.listedAll } == [true])
    }

    @Test func jobsJSONIsTheLocalObject() async throws {
        let service = FakeJobsService()
        service.state.withLock { $0.rows = Self.jobs.map(RemoteMessages.query) }
        let out = CapturedOutput()
        let command = try Self.parse(RemoteJobs.self, ["jobs", "--json"])
        _ = try await FakeGateway.with(service) { try await command.perform($0, out: out.sink) }
        #expect(out.text == JobsPage(jobs: Self.jobs).json.pretty + "\n")
        #expect(service.state.withLock { $0.listedAll } == [false])
    }

    @Test func noJobs() async throws {
        let out = CapturedOutput()
        let command = try Self.parse(RemoteJobs.self, ["jobs"])
        _ = try await FakeGateway.with(FakeJobsService()) { try await command.perform($0, out: out.sink) }
        #expect(out.text == "No jobs.\n")
    }

    @Test func runSendsTheWordsAndLimitsAndPrintsTheId() async throws {
        let service = FakeJobsService()
        let out = CapturedOutput()
        let command = try Self.parse(RemoteRun.self, ["run", "--name", "train", "--cpu", "150%", "--mem", "1.5G", "--tasks", "infinity",
                                                      "--", "python3", "-c", "print('é')"])
        let status = try await FakeGateway.with(service) { try await command.perform($0, out: out.sink) }
        #expect(status == 0)
        #expect(out.text == "41\n")
        let started = try #require(service.state.withLock { $0.started }.first)
        #expect(started.argv == [Data("python3".utf8), Data("-c".utf8), Data("print('é')".utf8)])
        #expect(started.name == "train")
        #expect(started.limits.cpu == "1.5")
        #expect(started.limits.mem == "1536M")
        #expect(started.limits.tasks == UInt64.max)
    }

    @Test func runWithoutLimitsSendsNone() throws {
        let command = try Self.parse(RemoteRun.self, ["run", "true"])
        let request = try command.request(argv: [Array("true".utf8)])
        #expect(request.name.isEmpty)
        #expect(!request.hasLimits || request.limits == Fairshare_Remote_V1_Limits())
    }

    @Test func runRefusesWhatTheLocalCommandRefuses() {
        for arguments in [["run", "--name", "no spaces", "--", "ls"], ["run", "--mem", "0", "--", "ls"], ["run", "--tasks", "-1", "--", "ls"]] {
            #expect(throws: (any Error).self, "\(arguments)") { try Self.parse(RemoteRun.self, arguments) }
        }
    }

    @Test func rawArgumentsKeepBytesThatAreNotUTF8() {
        let notUTF8: [UInt8] = [0x66, 0xff, 0x6f]
        let argv: [[UInt8]] = [Array("fairshare".utf8), Array("run".utf8), Array("--".utf8), Array("cat".utf8), notUTF8]
        let words = ["cat", String(decoding: notUTF8, as: UTF8.self)]
        #expect(RawArguments.bytes(of: words, argv: argv) == [Array("cat".utf8), notUTF8])
        // Words argv does not end with go as UTF-8.
        #expect(RawArguments.bytes(of: ["ls"], argv: argv) == [Array("ls".utf8)])
    }

    @Test func stopSaysSo() async throws {
        let service = FakeJobsService()
        let out = CapturedOutput()
        let command = try Self.parse(RemoteStop.self, ["stop", "12"])
        _ = try await FakeGateway.with(service) { try await command.perform($0, out: out.sink) }
        #expect(out.text == "Stopped job 12.\n")
        #expect(service.state.withLock { $0.stopped } == [12])
    }

    @Test func aReaderCannotStop() async throws {
        let service = FakeJobsService()
        service.state.withLock { $0.failure = RemoteErrorsFixture.rpcError(.permissionDenied, "job 12 is not yours to stop") }
        let command = try Self.parse(RemoteStop.self, ["stop", "12"])
        let failure = await FakeGateway.expectFailure(service) { session throws(ClientFailure) in
            _ = try await command.perform(session, out: { _ in })
        }
        #expect(failure?.status == ExitStatus.permissionDenied)
        #expect(failure?.message == "job 12 is not yours to stop")
    }

    @Test func statusPrintsWhatTheReplyHas() async throws {
        let service = FakeJobsService()
        service.state.withLock {
            $0.statusReply.user = "alice"
            $0.statusReply.uid = 1001
            $0.statusReply.cpu = "1.5"
            $0.statusReply.memBytes = 2 << 30
            $0.statusReply.tasks = 0
            $0.statusReply.cpuSeconds = 12.34
            $0.statusReply.memoryBytesNow = 45 << 20
        }
        let out = CapturedOutput()
        let command = try Self.parse(RemoteStatus.self, ["status"])
        _ = try await FakeGateway.with(service) { try await command.perform($0, out: out.sink) }
        #expect(out.text == """
            Account: alice (uid 1001)
            Allocation: 1.5 CPUs / 2G
            Tasks: at most infinity
            In use now: 45M, 12.3s CPU so far

            """)
        let json = CapturedOutput()
        let jsonCommand = try Self.parse(RemoteStatus.self, ["status", "--json"])
        _ = try await FakeGateway.with(service) { try await jsonCommand.perform($0, out: json.sink) }
        let object = try JSON.parse(json.text)
        #expect(object["allocation"]?["mem"]?.uint64Value == 2 << 30)
        #expect(object["usage"]?["cpu_usec"]?.uint64Value == 12_340_000)
        #expect(object["lease_end"] == .null)
    }

    /// A gateway that accepted the call and never answers: exit 69 after
    /// the reply timeout, not a hung script.
    @Test func aGatewayThatDoesNotAnswerIsUnavailable() async throws {
        let service = FakeJobsService()
        service.state.withLock { $0.statusDelay = .seconds(10) }
        let command = try Self.parse(RemoteStatus.self, ["status"])
        let (failure, took): (ClientFailure?, Duration) = try await FakeGateway.with(service, replyTimeout: .milliseconds(300)) { session in
            let started = ContinuousClock.now
            do throws(ClientFailure) {
                _ = try await command.perform(session, out: { _ in })
                return (nil, ContinuousClock.now - started)
            } catch {
                return (error, ContinuousClock.now - started)
            }
        }
        // The client gave up; the fake's handler still sleeps (its shutdown waits).
        #expect(took < .seconds(5))
        #expect(failure?.status == ExitStatus.unavailable)
        #expect(failure?.message.contains("did not answer in time") == true)
    }

    @Test func statusWithoutAnAllocation() async throws {
        let service = FakeJobsService()
        service.state.withLock { $0.statusReply.user = "bob"; $0.statusReply.uid = 1002 }
        let out = CapturedOutput()
        let command = try Self.parse(RemoteStatus.self, ["status"])
        _ = try await FakeGateway.with(service) { try await command.perform($0, out: out.sink) }
        #expect(out.text == "Account: bob (uid 1002)\nAllocation: none ('run' takes the policy's defaults)\n")
    }

    @Test func statusOfAJobAsLocally() async throws {
        let service = FakeJobsService()
        service.state.withLock { $0.end = .signal(9) }
        let out = CapturedOutput()
        let command = try Self.parse(RemoteStatus.self, ["status", "5"])
        _ = try await FakeGateway.with(service) { try await command.perform($0, out: out.sink) }
        #expect(out.text.hasPrefix("Job: 5\nState: exited\nPID: -\nExit: killed by signal 9\nCommand: /bin/echo\n"))
    }
}
