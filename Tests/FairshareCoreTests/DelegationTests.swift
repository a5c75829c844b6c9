import Testing
@testable import FairshareCore

/// Issue 21's trust model: only the gateway's uid acts on behalf of an
/// account, only for members, only within the certificate's role.
@Suite struct DelegationTests {
    let gateway: UInt32 = 990
    let alice = Delegation.Account(name: "alice", uid: 1001, role: .member)

    func decide(peer: UInt32? = nil, gateway: UInt32?? = nil, account: Delegation.Account?, role: RemoteRole = .writer,
                request: ClientRequest = .jobs(all: false)) -> Result<Delegation.Account, Delegation.Refusal> {
        Delegation.decide(peerUID: peer ?? self.gateway, gatewayUID: gateway ?? self.gateway, account: account?.name ?? "nobody-here",
                          found: account, role: role, request: request)
    }

    @Test func theGatewayActsAsAMember() {
        #expect(decide(account: alice) == .success(alice))
    }

    @Test func aMemberCannotClaimToBeTheGateway() {
        #expect(decide(peer: 1002, account: alice) == .failure(.notTheGateway(uid: 1002)))
        #expect(decide(peer: 0, account: alice) == .failure(.notTheGateway(uid: 0)), "not even root: the policy names one uid")
    }

    @Test func withoutAGatewayNobodyDelegates() {
        #expect(decide(gateway: .some(nil), account: alice) == .failure(.noGateway))
    }

    @Test func onlyMembersAndNeverRoot() {
        #expect(decide(account: nil) == .failure(.unknownAccount("nobody-here")))
        #expect(decide(account: .init(name: "bob", uid: 1003, role: .outsider)) == .failure(.notAMember("bob")))
        #expect(decide(account: .init(name: "root", uid: 0, role: .admin)) == .failure(.rootAccount))
    }

    @Test func readersQueryAndStreamButNeverStartOrStop() {
        for r: ClientRequest in [.status, .jobs(all: false), .logs(job: 1, offset: 0), .jobStatus(job: 1)] {
            #expect(decide(account: alice, role: .reader, request: r) == .success(alice), "\(r.operation)")
        }
        #expect(decide(account: alice, role: .reader, request: .stop(job: 1)) == .failure(.outsideTheRole(.reader, operation: "stop")))
        #expect(decide(account: alice, role: .writer, request: .stop(job: 1)) == .success(alice))
    }

    @Test func localOnlyOperationsAreRefusedToEveryRole() {
        for r: ClientRequest in [.release, .reload, .audit, .metrics, .list(after: nil), .whoami] {
            #expect(decide(account: alice, role: .writer, request: r) == .failure(.outsideTheRole(.writer, operation: r.operation)))
        }
        #expect(Delegation.Refusal.outsideTheRole(.reader, operation: "run").message
            == "a reader certificate may not run; it may query and stream jobs and read status")
    }
}

/// The `on_behalf` field: a checked user name and role, or a clear error.
@Suite struct OnBehalfTests {
    func decode(_ text: String) throws(RequestDecodingError) -> OnBehalf? {
        guard let json = try? JSON.parse(Array(text.utf8)) else { Issue.record("not JSON: \(text)"); return nil }
        return try OnBehalf.decode(from: json)
    }

    @Test func roundTrip() throws {
        let o = OnBehalf(user: "alice", role: .writer)
        var request: JSONObject = ["v": 1, "op": "jobs"]
        request["on_behalf"] = o.json
        #expect(try OnBehalf.decode(from: .object(request)) == o)
        #expect(try decode(#"{"v":1,"op":"jobs"}"#) == nil)
    }

    @Test(arguments: [
        (#"{"on_behalf":"alice"}"#, "on_behalf"),
        (#"{"on_behalf":{"role":"writer"}}"#, "on_behalf.user"),
        (#"{"on_behalf":{"user":"al ice","role":"writer"}}"#, "on_behalf.user"),
        (#"{"on_behalf":{"user":"alice","role":"admin"}}"#, "on_behalf.role"),
        (#"{"on_behalf":{"user":"alice","role":"writer","uid":0}}"#, "on_behalf.uid"),
    ])
    func mistakesNameTheirField(text: String, field: String) {
        #expect(throws: RequestDecodingError.self) { try decode(text) }
        do { _ = try decode(text) } catch { #expect(error.field == field) }
    }
}

/// A client certificate's subject: one account (CN), one role (OU).
@Suite struct CertificateIdentityTests {
    @Test func accountAndRole() {
        #expect(CertificateIdentity.read(commonNames: ["alice"], organizationalUnits: ["writer"])
            == .success(CertificateIdentity(account: "alice", role: .writer)))
    }

    @Test func anythingElseIsRefused() {
        #expect(CertificateIdentity.read(commonNames: [], organizationalUnits: ["reader"]) == .failure(.noAccount))
        #expect(CertificateIdentity.read(commonNames: ["alice", "bob"], organizationalUnits: ["reader"]) == .failure(.severalAccounts))
        #expect(CertificateIdentity.read(commonNames: ["alice"], organizationalUnits: []) == .failure(.noRole))
        #expect(CertificateIdentity.read(commonNames: ["alice"], organizationalUnits: ["reader", "writer"]) == .failure(.severalRoles))
        #expect(CertificateIdentity.read(commonNames: ["alice"], organizationalUnits: ["admin"]) == .failure(.unknownRole("admin")))
        guard case .failure(.invalidAccount(let name, _)) = CertificateIdentity.read(commonNames: ["al ice"], organizationalUnits: ["reader"])
        else { Issue.record("accepted"); return }
        #expect(name == "al ice")
    }
}
