/// `show-policy`: a user's effective limits and the global settings, each
/// with the file (and line) it came from, and the files read in order.
public struct PolicyShowReply: ReplyValue {
    /// One global setting: `admin_group`, `daemon.connections`, …
    public struct Setting: Equatable, Sendable {
        public var key: String
        public var value: SourcedText

        public init(_ key: String, _ value: SourcedText) {
            self.key = key
            self.value = value
        }
    }

    public var user: String
    /// The user's groups that have entries in the policy.
    public var groups: [String]
    public var defaults: SourcedLimits
    public var max: SourcedLimits
    /// In the daemon's order.
    public var settings: [Setting]
    public var files: [String]
    /// `CapacityForecast.lines` on the daemon's machine (sent when not empty).
    public var capacity: [String]

    public init(user: String, groups: [String], defaults: SourcedLimits, max: SourcedLimits, settings: [Setting], files: [String],
                capacity: [String] = []) {
        self.user = user
        self.groups = groups
        self.defaults = defaults
        self.max = max
        self.settings = settings
        self.files = files
        self.capacity = capacity
    }

    public var json: JSON {
        var o: JSONObject = ["user": .string(user), "groups": .array(groups.map { .string($0) }), "defaults": defaults.json, "max": max.json,
                             "settings": .object(JSONObject(settings.map { ($0.key, $0.value.json) })), "files": .array(files.map { .string($0) })]
        if !capacity.isEmpty { o["capacity"] = .array(capacity.map { .string($0) }) }
        return .object(o)
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        let object = try f.required("settings", "object", \.objectValue)
        let settingsFields = try ReplyFields(.object(object), path: f.name("settings"))
        var settings: [Setting] = []
        for key in object.keys { settings.append(Setting(key, try settingsFields.nested(key))) }
        self.init(user: try f.string("user"), groups: try f.strings("groups"), defaults: try f.nested("defaults"), max: try f.nested("max"),
                  settings: settings, files: try f.strings("files"),
                  capacity: try f.optional("capacity", "list of strings", ReplyFields.strings) ?? [])
    }
}
