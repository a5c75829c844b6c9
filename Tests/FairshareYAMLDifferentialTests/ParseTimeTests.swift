import FairshareCore
import Testing
import Yams

/// How long our parser and Yams take for the largest policy file the
/// daemon accepts (just under 1 MiB). A measurement more than a test: it
/// prints both times and asserts only what holds on any machine.
@Suite struct ParseTimeTests {
    /// A realistic policy of about `YAMLParser.maximumSize` bytes: the
    /// global keys, then a `users:` mapping of thousands of users, in block
    /// and flow style, with comments. Returns the text and the user count.
    static func oneMebibytePolicy() -> (text: String, users: Int) {
        var text = """
            # fairshare policy for a large login cluster (generated)
            ---
            defaults:
              cpu: 1
              mem: 2G
              tasks: 1024
            max: {cpu: 16, mem: 64G, tasks: 4096}
            reserve: {cpu: 2, mem: 8G}
            overcommit:
              cpu: 1.5
            allocator: polynomial
            idle_release: 30m
            admin_group: hpc-admins
            users:

            """
        var rng = SplitMix64(seed: 1)
        var users = 0
        while true {
            let name = "user\(users + 10000)"
            let cpu = rng.int(1...32)
            let mem = rng.int(1...256)
            let entry = switch rng.below(4) {
            case 0:
                "  \(name): {default: {cpu: \(cpu), mem: \(mem)G}, max: {cpu: \(cpu * 2), mem: \(mem * 2)G, tasks: infinity}}\n"
            case 1:
                "  # \(name) asked for more on ticket #\(rng.int(1000...9999))\n  \(name):\n    max: {cpu: \(cpu), mem: \"\(mem)G\"}\n"
            default:
                """
                  \(name):
                    default:
                      cpu: \(cpu)    # CPUs
                      mem: \(mem)G
                    max:
                      cpu: \(cpu * 4)
                      mem: '\(mem * 4)G'
                      tasks: \(rng.int(512...8192))

                """
            }
            guard text.utf8.count + entry.utf8.count <= YAMLParser.maximumSize - 16 else { break }
            text += entry
            users += 1
        }
        return (text, users)
    }

    /// The fastest of `runs` runs of `body`.
    static func fastest(of runs: Int, _ body: () throws -> Void) rethrows -> Duration {
        var best = Duration.seconds(3600)
        for _ in 0..<runs {
            let elapsed = try ContinuousClock().measure(body)
            best = min(best, elapsed)
        }
        return best
    }

    @Test func parseTimeForOneMebibytePolicy() throws {
        let (text, userCount) = Self.oneMebibytePolicy()
        #expect(text.utf8.count > 1_000_000 && text.utf8.count <= YAMLParser.maximumSize)

        var ours: YAMLNode?
        let oursTime = try Self.fastest(of: 3) { ours = try YAMLParser.parse(text) }
        var theirs: Node?
        let yamsTime = try Self.fastest(of: 3) { theirs = try Yams.compose(yaml: text) }

        let users = try #require(ours?.entries?.first { $0.key == "users" }?.value.entries)
        #expect(users.count == userCount)
        #expect(theirs?.mapping?["users"]?.mapping?.count == userCount)

        let ratio = yamsTime / oursTime
        print("""
            parse time for a \(text.utf8.count)-byte policy with \(userCount) users (fastest of 3): \
            ours \(oursTime.milliseconds) ms, Yams.compose \(yamsTime.milliseconds) ms, \
            Yams/ours = \((ratio * 100).rounded() / 100)
            """)
        #expect(oursTime <= yamsTime, "ours \(oursTime) is slower than Yams \(yamsTime)")
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return ((Double(seconds) * 1e3 + Double(attoseconds) / 1e15) * 10).rounded() / 10
    }
}
