/// A remote command line, split as `fairshare [CONNECTION OPTIONS] COMMAND
/// [ARGUMENTS]`: the connection options (--remote, --ca, --cert, --key,
/// each `--opt VALUE` or `--opt=VALUE`) come before the command, as
/// docker's -H does; ArgumentParser reads them from after the command name,
/// where each command declares them.
struct RemoteInvocation: Equatable {
    static let connectionOptionNames = ["--remote", "--ca", "--cert", "--key"]
    static let commandNames = ["run", "jobs", "logs", "stop", "status"]

    /// Connection options as given, each with its value.
    var connection: [String]
    /// The command's name, when one follows the options.
    var command: String?
    var rest: [String]

    /// `arguments` without argv[0].
    init(_ arguments: [String]) {
        var connection: [String] = []
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let word = arguments[i]
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            guard Self.connectionOptionNames.contains(name) else { break }
            connection.append(word)
            // `--remote HOST:PORT`: the value is the next word.
            if name == word, arguments.index(after: i) < arguments.endIndex {
                i = arguments.index(after: i)
                connection.append(arguments[i])
            }
            i = arguments.index(after: i)
        }
        self.connection = connection
        let remaining = Array(arguments[i...])
        if let first = remaining.first, !first.hasPrefix("-") {
            command = first
            rest = Array(remaining.dropFirst())
        } else {
            command = nil
            rest = remaining
        }
    }

    /// Whether the word after the options names no remote command (`help`,
    /// ArgumentParser's, does).
    var refusal: String? {
        guard let command, command != "help", !Self.commandNames.contains(command) else { return nil }
        return "'\(command)' works only on this machine; remote commands are \(Self.commandNames.joined(separator: ", "))"
    }

    /// What ArgumentParser parses: the command first, then the options;
    /// `help COMMAND` when the command's options ask for help. Without a
    /// command (`--help`, `--version`, `help`) the options are not needed.
    var parserArguments: [String] {
        guard let command, command != "help" else { return (command.map { [$0] } ?? []) + rest }
        if asksForHelp { return ["help", command] }
        return [command] + connection + rest
    }

    /// `-h` or `--help` among the command's own options. `run` captures
    /// everything from its command on (`run -- ls --help` runs `ls --help`),
    /// which would swallow its --help too, so its options are read here up
    /// to the first word that is not one of them.
    var asksForHelp: Bool {
        let valued: Set<String> = ["--name", "--cpu", "--mem", "--tasks"]
        var skipValue = false
        for word in rest {
            if skipValue { skipValue = false; continue }
            if word == "--" { return false }
            if word == "-h" || word == "--help" { return true }
            if command == "run" {
                guard word.hasPrefix("-") else { return false }
                skipValue = valued.contains(word) || Self.connectionOptionNames.contains(word)
            }
        }
        return false
    }
}
