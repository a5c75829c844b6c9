import ArgumentParser

/// `--listen`: "HOST:PORT", or "[V6]:PORT" for an IPv6 address.
struct ListenAddress: Equatable {
    var host: String
    var port: Int

    init(parsing text: String) throws(ValidationError) {
        let problem = ValidationError("invalid --listen '\(text)': give ADDRESS:PORT, e.g. 0.0.0.0:9326 or [::]:9326")
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { throw problem }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) } else if host.contains(Character(":")) { throw problem }
        guard !host.isEmpty else { throw problem }
        self.host = host
        self.port = port
    }
}
