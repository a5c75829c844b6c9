import FairshareCore
import Foundation
import Testing
@testable import FairshareRemote

/// fairshared's replies as the API's messages.
@Suite struct RemoteMessagesTests {
    func job(end: JobEnd? = nil) -> Job {
        Job(id: 7, uid: 1001, user: "alice", name: nil, argv: ["sh", "-c", "exit 3"], started: 1_000, end: end)
    }

    @Test func aRunningJobHasItsPid() {
        let q = RemoteMessages.query(JobReply(job: job(), unit: "fairshare-1001-job-7.service", state: .running, pid: 4242))
        #expect(q.job == 7)
        #expect(q.state == .running)
        #expect(q.pid == 4242)
        #expect(q.end == nil)
    }

    @Test func anEndedJobHasItsExitCodeOrSignal() {
        let exited = RemoteMessages.query(JobReply(job: job(end: JobEnd(exitStatus: 3, signal: nil, stopped: false, ended: 1_005)),
                                                   unit: "u", state: .exited))
        #expect(exited.state == .exited)
        #expect(exited.end == .exitCode(3))
        let killed = RemoteMessages.query(JobReply(job: job(end: JobEnd(exitStatus: nil, signal: 9, stopped: true, ended: 1_005)),
                                                   unit: "u", state: .stopped))
        #expect(killed.end == .signal(9))
    }

    @Test func statusCarriesTheGrantAndUse() {
        let r = StatusReply(uid: 1001, user: "alice", system: CPUAndMemory(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(4)),
                            available: CPUAndMemory(cpu: CPUQuantity(cpus: 1), mem: .gibibytes(2)),
                            allocation: ReplyResources(cpu: CPUQuantity(usecPerSecond: 1_500_000), mem: .gibibytes(2), tasks: TaskLimit(64)),
                            leaseEnd: 1_700_000_000, usage: SliceUsageReply(mem: 1 << 20, tasks: 2, cpuUsec: 2_500_000))
        let s = RemoteMessages.status(r)
        #expect(s.user == "alice" && s.uid == 1001)
        #expect(s.cpu == "1.5" && s.memBytes == 2 << 30 && s.tasks == 64)
        #expect(s.leaseEnd == 1_700_000_000)
        #expect(s.cpuSeconds == 2.5 && s.memoryBytesNow == 1 << 20)
    }

    @Test func streamChunksStartWhereAsked() {
        let c = RemoteMessages.chunk(LogsReply(job: 7, data: Array("hello\n".utf8), next: 106, size: 106, ended: false, end: nil), from: 100)
        #expect(c?.offset == 100)
        #expect(c?.data == Data("hello\n".utf8))
        #expect(RemoteMessages.chunk(LogsReply(job: 7, data: [], next: 106, size: 106, ended: true, end: nil), from: 106) == nil)
    }

    /// `fairshare --remote jobs` prints the local table: what the client
    /// rebuilds from Query is the reply it was made from.
    @Test func queryRoundTripsToTheLocalReply() {
        let replies = [
            JobReply(job: job(), unit: "fairshare-1001-job-7.service", state: .running, pid: 4242,
                     usage: JobUsage(cpuUsec: 1_500_000, mem: 1 << 20)),
            JobReply(job: job(end: JobEnd(exitStatus: 3, signal: nil, stopped: false, ended: 1_005)), unit: "fairshare-1001-job-7.service", state: .exited),
            JobReply(job: job(end: JobEnd(exitStatus: nil, signal: 15, stopped: true, ended: 1_009)), unit: "fairshare-1001-job-7.service", state: .stopped),
            JobReply(job: Job(id: 8, uid: 1001, user: "alice", name: "train", argv: ["/usr/bin/env", "é"], started: 5), unit: "fairshare-1001-job-8.service", state: .unknown),
        ]
        for reply in replies {
            #expect(RemoteMessages.job(RemoteMessages.query(reply)) == reply)
        }
    }
}
