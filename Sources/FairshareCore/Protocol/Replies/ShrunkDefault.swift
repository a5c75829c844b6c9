/// One default a first request got less of (shrink to fit): the resource,
/// the policy's default and what was granted, as people read them.
extension DefaultGrant.Shrunk: ReplyValue {
    public var json: JSON {
        ["resource": .string(resource.rawValue), "default": .string(policyDefault), "granted": .string(granted)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        let name = try f.string("resource")
        guard let resource = ResourceKind(rawValue: name) else { throw ReplyDecodingError(field: f.name("resource"), expected: "cpu, mem, tasks, io or gpus") }
        self.init(resource: resource, policyDefault: try f.string("default"), granted: try f.string("granted"))
    }
}

extension [DefaultGrant.Shrunk] {
    /// "granted 0.66 CPUs — your fair share now; the default is 1 CPU",
    /// nil when nothing shrank.
    public var notice: String? {
        guard !isEmpty else { return nil }
        let names = map { $0.resource == .gpus ? "\($0.granted) GPU(s)" : $0.granted }
        let defaults = map { $0.resource == .gpus ? "\($0.policyDefault) GPU(s)" : $0.policyDefault }
        let what = count == 1 ? "the default is \(defaults[0])" : "the defaults are \(defaults.joined(separator: " and "))"
        return "granted \(names.joined(separator: " and ")) — your fair share now; \(what)"
    }
}
