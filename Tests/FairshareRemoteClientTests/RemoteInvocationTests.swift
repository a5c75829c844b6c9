import FairshareRemote
@testable import FairshareRemoteClient
import Testing

@Suite struct RemoteInvocationTests {
    @Test func connectionOptionsMoveAfterTheCommand() {
        let i = RemoteInvocation(["--remote", "h:1", "--ca=/c", "--cert", "/x", "jobs", "--all"])
        #expect(i.connection == ["--remote", "h:1", "--ca=/c", "--cert", "/x"])
        #expect(i.command == "jobs")
        #expect(i.parserArguments == ["jobs", "--remote", "h:1", "--ca=/c", "--cert", "/x", "--all"])
    }

    @Test func runKeepsItsCommandWordsLast() {
        let i = RemoteInvocation(["--remote=h:1", "run", "--name", "n", "--", "ls", "--help"])
        #expect(i.parserArguments == ["run", "--remote=h:1", "--name", "n", "--", "ls", "--help"])
        #expect(!i.asksForHelp)
    }

    @Test func helpForACommand() {
        #expect(RemoteInvocation(["--remote", "h:1", "run", "--help"]).parserArguments == ["help", "run"])
        #expect(RemoteInvocation(["--remote", "h:1", "run", "--cpu", "2", "-h"]).asksForHelp)
        #expect(RemoteInvocation(["--remote", "h:1", "logs", "-f", "--help", "3"]).asksForHelp)
        // After the command's first word, --help is the command's.
        #expect(!RemoteInvocation(["--remote", "h:1", "run", "ls", "--help"]).asksForHelp)
    }

    @Test func localOnlyCommandsAreRefused() {
        for name in ["request", "exec", "admin", "top", "whoami", "release"] {
            #expect(RemoteInvocation(["--remote", "h:1", name]).refusal
                    == "'\(name)' works only on this machine; remote commands are run, jobs, logs, stop, status")
        }
        for name in ["run", "jobs", "logs", "stop", "status", "help"] {
            #expect(RemoteInvocation(["--remote", "h:1", name]).refusal == nil)
        }
        #expect(RemoteInvocation(["--remote", "h:1", "--help"]).refusal == nil)
    }

    @Test func wantedOnlyForAConnectionOptionFirst() {
        // FAIRSHARE_REMOTE is not set in the test environment (it is read by getenv).
        #expect(RemoteClient.wanted(["fairshare", "--remote", "h:1", "jobs"]))
        #expect(RemoteClient.wanted(["fairshare", "--remote=h:1", "jobs"]))
        #expect(RemoteClient.wanted(["fairshare", "--cert", "/c", "--remote", "h:1", "jobs"]))
        #expect(!RemoteClient.wanted(["fairshare", "jobs", "--remote", "h:1"]))
        #expect(!RemoteClient.wanted(["fairshare", "--remotely"]))
        #expect(!RemoteClient.wanted(["fairshare"]))
    }

    @Test func theCommandLineParsesIntoRemoteCommands() throws {
        let run = try #require(try RemoteFairshare.parseAsRoot(
            RemoteInvocation(["--remote", "[::1]:7443", "run", "--tasks", "9", "--", "sleep", "1"]).parserArguments) as? RemoteRun)
        #expect(run.arguments == ["sleep", "1"])
        #expect(try run.connection.address(environment: { _ in nil }) == RemoteAddress(host: .ipv6("::1"), port: 7443))
        let logs = try #require(try RemoteFairshare.parseAsRoot(
            RemoteInvocation(["--remote", "h:1", "logs", "-f", "12"]).parserArguments) as? RemoteLogs)
        #expect(logs.follow && logs.id == 12)
    }

    @Test func badInputIsAUsageError() {
        for arguments in [["--remote", "h", "jobs"], ["--remote", "h:1", "run"], ["--remote", "h:1", "run", "--cpu", "lots", "--", "ls"],
                          ["--remote", "h:1", "logs"], ["--remote", "h:1", "stop", "x"]] {
            do {
                _ = try RemoteFairshare.parseAsRoot(RemoteInvocation(arguments).parserArguments)
                Issue.record("\(arguments) parsed")
            } catch {
                #expect(RemoteFairshare.exitCode(for: error).rawValue == 64, "\(arguments)")
            }
        }
    }

    @Test func aBadAddressSaysTheExpectedForm() {
        do {
            _ = try RemoteFairshare.parseAsRoot(RemoteInvocation(["--remote", "2001:db8::1:7443", "jobs"]).parserArguments)
            Issue.record("parsed")
        } catch {
            #expect(RemoteFairshare.message(for: error)
                    == "invalid --remote '2001:db8::1:7443': give \(RemoteAddress.expectedForm)")
        }
    }
}

