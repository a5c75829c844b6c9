import Testing
@testable import FairshareCore

/// The policy's `remote:` section: the one gateway user that may act on
/// behalf of members (issue 21).
@Suite struct RemotePolicyTests {
    @Test func offUnlessNamed() throws {
        #expect(try readPolicy("defaults: {cpu: 1}\n").remoteGateway == nil)
    }

    @Test func theGatewayWithItsOrigin() throws {
        let s = try readPolicy("remote:\n  gateway: fairshare-remote\n", path: "/etc/fairshare/policy.d/20-remote.yaml")
        #expect(s.remoteGateway?.value == "fairshare-remote")
        #expect(s.remoteGateway?.origin.description == "/etc/fairshare/policy.d/20-remote.yaml:2")
    }

    @Test(arguments: [
        ("remote:\n  gatway: fairshare-remote\n", "p.yaml:2:3: error: unknown key 'gatway' in 'remote'; did you mean 'gateway'?"),
        ("remote:\n  gateway: \"bad name\"\n", "p.yaml:2:12: error: invalid user name 'bad name': it contains whitespace or a control character"),
    ])
    func mistakesArePointedAt(input: String, expected: String) {
        #expect(policyHeadlines(input) == [expected])
    }
}
