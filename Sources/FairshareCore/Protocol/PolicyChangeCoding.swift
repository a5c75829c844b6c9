/// `set-policy` on the wire: `scope` (`global`, `user`, `group`), `name`,
/// `block` (`defaults`, `max`), values as policy-file text (`"1.5"`,
/// `"8G"`, `"infinity"`) so they are read exactly as a file would be, and
/// `reset`.
extension PolicyChange {
    func encode(into o: inout JSONObject) {
        switch scope {
        case .global: o["scope"] = "global"
        case .user(let name): o["scope"] = "user"; o["name"] = .string(name)
        case .group(let name): o["scope"] = "group"; o["name"] = .string(name)
        }
        o["block"] = .string(block.rawValue)
        if let cpu { o["cpu"] = .string(cpu.exactDescription) }
        if let mem { o["mem"] = .string(mem.exactDescription) }
        if let tasks { o["tasks"] = .string(tasks.description) }
        if reset { o["reset"] = true }
    }

    static func decode(_ o: JSONObject) throws(RequestDecodingError) -> PolicyChange {
        let scope: PolicyScope
        switch o["scope"]?.stringValue {
        case "global"?: scope = .global
        case let kind? where kind == "user" || kind == "group":
            guard let name = o["name"]?.stringValue else { throw .init(.badRequest, "set-policy for a \(kind) needs \"name\"") }
            do {
                let checked = try AccountName.checked(name, field: "name")
                scope = kind == "user" ? .user(checked) : .group(checked)
            } catch {
                throw RequestDecodingError(error)
            }
        default: throw .init(.badRequest, "set-policy needs \"scope\": global, user or group")
        }
        guard let block = o["block"]?.stringValue.flatMap(Block.init(rawValue:)) else {
            throw .init(.badRequest, "set-policy needs \"block\": defaults or max")
        }
        var change = PolicyChange(scope: scope, block: block, reset: o["reset"]?.boolValue ?? false)
        let isMax = block == .max
        change.cpu = try value(o, "cpu") { (t) throws(PolicyValue.Problem) in try PolicyValue.cpu(t, allowInfinity: isMax) }
        change.mem = try value(o, "mem") { (t) throws(PolicyValue.Problem) in try PolicyValue.size(t, allowInfinity: isMax) }
        change.tasks = try value(o, "tasks", PolicyValue.tasks)
        return change
    }

    private static func value<T>(_ o: JSONObject, _ key: String, _ read: (String) throws(PolicyValue.Problem) -> T) throws(RequestDecodingError) -> T? {
        guard let field = o[key] else { return nil }
        guard let text = field.stringValue else { throw .init(.badRequest, "\"\(key)\" must be a string such as \"2\" or \"8G\"") }
        do {
            return try read(text)
        } catch {
            throw .init(.badRequest, "\(key): \(error.message)")
        }
    }
}
