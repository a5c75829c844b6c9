import Foundation
@testable import FairshareRemoteGateway
import Testing

@Suite struct RevocationListTests {
    @Test func readsTheSerialsAnOpenSSLCRLRevokes() throws {
        let list = try RevocationList.read(Array(PKIFixture.crl.utf8))
        // carol-writer.crt: serial 35D497A21DCDBEBCC1EA9C935B7E852382D7816C.
        let carol: [UInt8] = [0x35, 0xD4, 0x97, 0xA2, 0x1D, 0xCD, 0xBE, 0xBC, 0xC1, 0xEA, 0x9C, 0x93, 0x5B, 0x7E, 0x85, 0x23, 0x82, 0xD7, 0x81, 0x6C]
        #expect(list.serials == [carol])
        #expect(list.revokes(serial: carol[...]))
        #expect(!list.revokes(serial: [0x01]))
    }

    @Test func aLeadingZeroByteDoesNotHideASerial() throws {
        let list = RevocationList(serials: [RevocationList.canonical([0x00, 0x9F, 0x01])])
        #expect(list.revokes(serial: [0x9F, 0x01]))
        #expect(list.revokes(serial: [0x00, 0x9F, 0x01]))
        #expect(!list.revokes(serial: [0x9F]))
    }

    @Test func refusesACertificateInPlaceOfACRL() {
        #expect(throws: RevocationList.Malformed.self) { try RevocationList.read(Array(PKIFixture.caCertificate.utf8)) }
    }

    @Test func refusesGarbage() {
        #expect(throws: RevocationList.Malformed.self) { try RevocationList.read(Array("not a CRL\n".utf8)) }
        #expect(throws: RevocationList.Malformed.self) { try RevocationList.read([0x30, 0x03, 0x02, 0x01]) }
    }

    @Test func aMissingFileRevokesNothingAndABrokenOneFailsClosed() throws {
        let directory = try PKIFixture.write()
        #expect(RevocationFile(path: directory + "/absent.pem").current() == .success(.empty))
        let broken = directory + "/broken.pem"
        try "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n".write(toFile: broken, atomically: false, encoding: .utf8)
        guard case .failure = RevocationFile(path: broken).current() else {
            Issue.record("a broken CRL file was accepted")
            return
        }
    }

    @Test func rereadsTheFileWhenItChanges() throws {
        let directory = try PKIFixture.write()
        let path = directory + "/crl.pem"
        try "".write(toFile: path, atomically: false, encoding: .utf8)
        let file = RevocationFile(path: path)
        guard case .failure = file.current() else {
            Issue.record("an empty CRL file was accepted")
            return
        }
        try PKIFixture.crl.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try file.current().get().serials.count == 1)
    }
}
