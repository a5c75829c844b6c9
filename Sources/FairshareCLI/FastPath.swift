import ArgumentParser
import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// The command lines scripts run most, recognised without
/// swift-argument-parser: `--version`, `status [--json]`,
/// `request [--cpu|--mem|--tasks|--for VALUE]… [--json]` and
/// `exec [-q] [--json] -- COMMAND…`. Building the parser's command tree
/// (reflection over every command's options) costs more than the work
/// itself; anything else, `--help` included, takes the full parser, so
/// behaviour is the same either way.
enum FastPath {
    /// Runs `arguments` (without argv[0]) if it is one of the forms above and
    /// returns the exit status; nil to leave it to the parser.
    static func run(_ arguments: [String]) -> Int32? {
        guard let first = arguments.first else { return nil }
        switch first {
        case "--version" where arguments.count == 1:
            StandardStreams.out(FairshareVersion.string + "\n")
            return 0
        case "status":
            let rest = arguments.dropFirst()
            guard rest.isEmpty || rest.elementsEqual(["--json"]) else { return nil }
            return status { try show(.status, socketPath: ClientOptions.defaultSocketPath, json: !rest.isEmpty, render: Rendering.status) }
        case "request":
            var values: [String: String] = [:]
            var json = false
            var index = 1
            while index < arguments.count {
                let word = arguments[index]
                if word == "--json" { json = true; index += 1; continue }
                let (name, inline) = word.firstIndex(of: "=").map { (String(word[..<$0]), String(word[word.index(after: $0)...])) } ?? (word, nil)
                guard ["--cpu", "--mem", "--tasks", "--for"].contains(name), values[name] == nil else { return nil }
                if let inline {
                    values[name] = inline
                } else {
                    guard index + 1 < arguments.count else { return nil }
                    values[name] = arguments[index + 1]
                    index += 1
                }
                index += 1
            }
            // Invalid values: the parser says so, in its words.
            guard let wanted = try? Request.resources(cpu: values["--cpu"], mem: values["--mem"], tasks: values["--tasks"],
                                                     lease: values["--for"]) else { return nil }
            return status { try Request.perform(wanted, socketPath: ClientOptions.defaultSocketPath, json: json) }
        case "exec":
            var quiet = false, json = false
            var index = 1
            while index < arguments.count, arguments[index] != "--" {
                switch arguments[index] {
                case "-q", "--quiet": quiet = true
                case "--json": json = true
                default: return nil
                }
                index += 1
            }
            guard index + 1 < arguments.count else { return nil }
            let command = Array(arguments[(index + 1)...])
            return status { try Exec.run(command, quiet: quiet, json: json, socketPath: ClientOptions.defaultSocketPath) }
        default:
            return nil
        }
    }

    /// The exit status of `body`, as the parser's `main()` would give it.
    private static func status(_ body: () throws -> Void) -> Int32 {
        do {
            try body()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            StandardStreams.err("fairshare: \(error)\n")
            return 1
        }
    }
}

extension FairshareClient {
    /// The entry point: the fast path for the common command lines, the
    /// full parser for the rest.
    public static func runFromCommandLine() -> Never {
        if let status = FastPath.run(Array(CommandLine.arguments.dropFirst())) { Glibc.exit(status) }
        main()
        Glibc.exit(0)
    }
}
