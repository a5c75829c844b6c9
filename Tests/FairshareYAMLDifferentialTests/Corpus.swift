import Foundation

/// The documents under Corpus/, found next to this source file (no
/// resource bundle: `#filePath` works the same on Linux and macOS).
enum Corpus {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

    /// File names in Corpus/`folder` ending in .yaml, sorted.
    static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(folder).path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static func bytes(_ folder: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(folder).appendingPathComponent(name)))
    }

    static let valid = files(in: "valid")
    static let invalid = files(in: "invalid")
}
