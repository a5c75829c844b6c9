import FairshareRemote
@testable import FairshareRemoteClient
import Testing

@Suite struct RemoteAddressTests {
    @Test func theThreeKindsOfHost() {
        #expect(RemoteAddress(parsing: "gpu1.example.org:7443") == RemoteAddress(host: .name("gpu1.example.org"), port: 7443))
        #expect(RemoteAddress(parsing: "localhost:1") == RemoteAddress(host: .name("localhost"), port: 1))
        #expect(RemoteAddress(parsing: "192.0.2.10:65535") == RemoteAddress(host: .ipv4("192.0.2.10"), port: 65535))
        #expect(RemoteAddress(parsing: "[2001:db8::1]:7443") == RemoteAddress(host: .ipv6("2001:db8::1"), port: 7443))
    }

    @Test func describedAsTyped() {
        for text in ["gpu1.example.org:7443", "192.0.2.10:80", "[2001:db8::1]:7443"] {
            #expect(RemoteAddress(parsing: text)?.description == text)
        }
    }

    @Test(arguments: ["", "host", "host:", ":7443", "host:0", "host:65536", "host:+80", "host:80x", "2001:db8::1:7443",
                      "[2001:db8::1]", "[2001:db8::1]7443", "[not-v6]:7443", "[192.0.2.1]:7443", "bad_name:7443",
                      "-lead.example:7443", "a..b:7443", "host name:7443", "host:123456"])
    func refused(_ text: String) {
        #expect(RemoteAddress(parsing: text) == nil)
    }

    @Test func environmentWhenNoOption() throws {
        let fromEnvironment = try RemoteConnectionOptions.address(option: nil, environment: { $0 == "FAIRSHARE_REMOTE" ? "h:2" : nil })
        #expect(fromEnvironment == RemoteAddress(host: .name("h"), port: 2))
        #expect(throws: (any Error).self) { try RemoteConnectionOptions.address(option: nil, environment: { _ in nil }) }
        let given = try RemoteConnectionOptions.parse(["--remote", "g:3"])
        #expect(try given.address(environment: { _ in "h:2" }) == RemoteAddress(host: .name("g"), port: 3))
    }

    @Test func aBadEnvironmentValueIsNamed() throws {
        do {
            _ = try RemoteConnectionOptions.address(option: nil, environment: { _ in "nope" })
            Issue.record("accepted")
        } catch {
            #expect(error.message == "invalid FAIRSHARE_REMOTE 'nope': give \(RemoteAddress.expectedForm)")
        }
    }
}
