#if canImport(Glibc)
import Glibc
#endif

/// The process's arguments as the kernel gave them: a command's words for
/// `run` travel as bytes, and a word that is not UTF-8 must not become
/// replacement characters on the way.
enum RawArguments {
    /// `words` (the last arguments of the command line) as their bytes in
    /// argv; a word that argv does not end with, as in tests, as UTF-8.
    static func bytes(of words: [String], argv: [[UInt8]] = processArguments()) -> [[UInt8]] {
        let tail = argv.suffix(words.count)
        guard tail.count == words.count else { return words.map { Array($0.utf8) } }
        return zip(words, tail).map { word, raw in
            String(decoding: raw, as: UTF8.self) == word ? raw : Array(word.utf8)
        }
    }

    static func processArguments() -> [[UInt8]] {
        (0..<Int(CommandLine.argc)).map { i in
            guard let p = CommandLine.unsafeArgv[i] else { return [] }
            return Array(UnsafeBufferPointer(start: p, count: strlen(p))).map { UInt8(bitPattern: $0) }
        }
    }
}
