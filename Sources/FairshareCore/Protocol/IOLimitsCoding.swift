/// IO settings on the wire and in state.json:
/// `{"weight": 200, "read_bw": {"/dev/vda": 52428800}, …}`.
extension IOLimits {
    public var json: JSON {
        var o = JSONObject()
        if let weight { o["weight"] = .uint(weight) }
        for kind in Kind.allCases where !self[kind].isEmpty {
            var devices = JSONObject()
            for (device, value) in self[kind].sorted(by: { $0.key < $1.key }) { devices[device.string] = .uint(value) }
            o[kind.rawValue] = .object(devices)
        }
        return .object(o)
    }

    /// The settings, or why `json` is not such an object.
    public static func decode(_ json: JSON) -> Result<IOLimits, DecodingProblem> {
        guard let o = json.objectValue else { return .failure(DecodingProblem("\"io\" must be an object")) }
        var io = IOLimits()
        for (key, value) in o.entries {
            if key == "weight" {
                guard let w = value.uint64Value, weightRange.contains(w) else { return .failure(DecodingProblem("\"io\".\"weight\" must be 1 to 10000")) }
                io.weight = w
                continue
            }
            guard let kind = Kind(rawValue: key) else { return .failure(DecodingProblem("unknown \"io\" key \"\(key)\"")) }
            guard let devices = value.objectValue else { return .failure(DecodingProblem("\"io\".\"\(key)\" must map device paths to numbers")) }
            for (device, limit) in devices.entries {
                let path: DevicePath
                do {
                    path = try DevicePath(checking: device, field: "io.\(key)")
                } catch {
                    return .failure(DecodingProblem(error.description, field: error.field, position: error.position))
                }
                guard let n = limit.uint64Value, n > 0 else {
                    return .failure(DecodingProblem("\"io\".\"\(key)\" needs positive numbers"))
                }
                io[kind][path] = n
            }
        }
        return .success(io)
    }

    public struct DecodingProblem: Error, Equatable, Sendable {
        public var message: String
        /// The field and character a device path was refused at.
        public var field: String?
        public var position: Int?
        init(_ message: String, field: String? = nil, position: Int? = nil) {
            self.message = message
            self.field = field
            self.position = position
        }
    }
}
