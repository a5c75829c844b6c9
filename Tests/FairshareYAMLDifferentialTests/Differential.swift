import FairshareCore
import Yams

/// Both parsers' results for one document.
struct Differential {
    var ours: Result<UntypedTree, YAMLSyntaxError>
    var yams: Result<UntypedTree, any Error>

    init(_ bytes: [UInt8]) {
        do throws(YAMLSyntaxError) {
            ours = .success(UntypedTree(try YAMLParser.parse(bytes)))
        } catch {
            ours = .failure(error)
        }
        // Yams sets libyaml's encoding to UTF-8 itself, and libyaml then
        // takes a leading BOM for a character of the first line: that line
        // seems indented one column more than the next (a libyaml quirk; YAML
        // says a BOM is not content). Yams gets the text without it.
        let withoutBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        do {
            yams = .success(UntypedTree(yams: try Yams.compose(yaml: String(decoding: withoutBOM, as: UTF8.self))))
        } catch {
            yams = .failure(error)
        }
    }

    init(_ text: String) { self.init(Array(text.utf8)) }

    var oursTree: UntypedTree? { try? ours.get() }
    var yamsTree: UntypedTree? { try? yams.get() }

    /// Both parsed the document to the same tree.
    var agree: Bool {
        guard let a = oursTree, let b = yamsTree else { return false }
        return a.asYamsReadsIt == b
    }

    /// What each parser said, for a failing expectation.
    var report: String {
        let mine = switch ours {
        case .success(let tree): "ours: \(tree)"
        case .failure(let error): "ours: error \(error)"
        }
        let theirs = switch yams {
        case .success(let tree): "Yams: \(tree)"
        case .failure(let error): "Yams: error \(String(describing: error).prefix(300))"
        }
        return mine + "\n" + theirs
    }
}

extension Array where Element == UInt8 {
    /// The document with CRLF line ends (LF alone becomes CRLF).
    var withCRLF: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + count / 16)
        for (i, c) in enumerated() {
            if c == 0x0A && (i == 0 || self[i - 1] != 0x0D) { out.append(0x0D) }
            out.append(c)
        }
        return out
    }

    /// The document with a UTF-8 byte order mark in front (if it has none).
    var withBOM: [UInt8] {
        starts(with: [0xEF, 0xBB, 0xBF]) ? self : [0xEF, 0xBB, 0xBF] + self
    }
}
