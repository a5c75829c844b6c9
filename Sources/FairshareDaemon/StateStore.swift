import FairshareCore
import FairshareSystem

/// Loads and saves `state.json`.
public protocol StateStore: AnyObject {
    func load() throws -> DaemonState
    func save(_ state: DaemonState) throws
}

/// `state.json` in the state directory, written atomically.
public final class FileStateStore: StateStore {
    public let path: String

    public init(directory: String) { path = directory + "/state.json" }

    public func load() throws -> DaemonState {
        guard FileIO.exists(path) else { return DaemonState() }
        let bytes = try FileIO.read(path)
        do {
            return try DaemonState.decode(try JSON.parse(bytes))
        } catch let e as JSONParseError {
            throw DaemonState.DecodingError.malformed("\(path): \(e)")
        }
    }

    public func save(_ state: DaemonState) throws {
        try FileIO.writeAtomically(path, Array((state.json.pretty + "\n").utf8), mode: 0o600)
    }
}
