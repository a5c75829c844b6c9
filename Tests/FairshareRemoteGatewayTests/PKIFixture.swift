import Foundation

/// A private CA and its certificates, made once with
/// contrib/fairshare-remote-certs (clients for 3650 days; the server's, for
/// 3650 days, and dave's, without a role, by hand with openssl), for tests only: alice writer, bob reader, carol writer
/// (revoked in `crl`), dave with no OU; the server's is for 127.0.0.1.
enum PKIFixture {
    static let caCertificate = """
-----BEGIN CERTIFICATE-----
MIIByTCCAW+gAwIBAgIUHRK7nK7aTbPwFzSkbMgr7QoxUQAwCgYIKoZIzj0EAwIw
MjESMBAGA1UECgwJZmFpcnNoYXJlMRwwGgYDVQQDDBNmYWlyc2hhcmUtcmVtb3Rl
IENBMB4XDTI2MTIwMTA1MjkzNVoXDTM2MTEyODA1MjkzNVowMjESMBAGA1UECgwJ
ZmFpcnNoYXJlMRwwGgYDVQQDDBNmYWlyc2hhcmUtcmVtb3RlIENBMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAE49IPxc73l/SA+5MWAx3zGdUJmLytKJ7WySeZVPBL
ROR1m9uY2rVkxrouLLjCqK623PMxkBJRWSMljuGalYkK1aNjMGEwHQYDVR0OBBYE
FNd4RG1qijHB2qLsP1s45v50KHs+MB8GA1UdIwQYMBaAFNd4RG1qijHB2qLsP1s4
5v50KHs+MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49
BAMCA0gAMEUCIQDS0Hw45Zc/j+2au5LSnQfchPS1C3LpzLNPkb1VdjXrEwIgLxFt
7h1w/QwzNfwWsxC6MeT85wwVTYfxhgrhMhqGDB4=
-----END CERTIFICATE-----
"""

    static let serverCertificate = """
-----BEGIN CERTIFICATE-----
MIIB4zCCAYqgAwIBAgIUNdSXoh3NvrzB6pyTW36FI4LXgW4wCgYIKoZIzj0EAwIw
MjESMBAGA1UECgwJZmFpcnNoYXJlMRwwGgYDVQQDDBNmYWlyc2hhcmUtcmVtb3Rl
IENBMB4XDTI2MTIwMTA1Mjk0NVoXDTM2MTEyODA1Mjk0NVowKDESMBAGA1UECgwJ
ZmFpcnNoYXJlMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQg+uWIKPcSATMhwtjybJJqb7xwhg4wyH/1DhkVOFG5ZeoMaYnnLLOP
FKazUeKYL0wFVr7xbNkyauRIxIMznUBQo4GHMIGEMAwGA1UdEwEB/wQCMAAwDgYD
VR0PAQH/BAQDAgeAMBMGA1UdJQQMMAoGCCsGAQUFBwMBMA8GA1UdEQQIMAaHBH8A
AAEwHQYDVR0OBBYEFCD8aalOghRtI1on+U5n1IeHjrqYMB8GA1UdIwQYMBaAFNd4
RG1qijHB2qLsP1s45v50KHs+MAoGCCqGSM49BAMCA0cAMEQCIBrcpx6EEYf5bdvj
fbSfWTMMlhbPv6EYBjOBc3JMzTOzAiAlDJ1cxdLqIp+8Io9ONBVTDDmdc68eI2+i
c3iYjeAaUg==
-----END CERTIFICATE-----
"""

    static let serverKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgVwExQZK4VSiC4W8h
dW735FEQ8bMzYgsJMczCbmmyr+qhRANCAAQg+uWIKPcSATMhwtjybJJqb7xwhg4w
yH/1DhkVOFG5ZeoMaYnnLLOPFKazUeKYL0wFVr7xbNkyauRIxIMznUBQ
-----END PRIVATE KEY-----
"""

    static let aliceWriterCertificate = """
-----BEGIN CERTIFICATE-----
MIIB3TCCAYSgAwIBAgIUNdSXoh3NvrzB6pyTW36FI4LXgWowCgYIKoZIzj0EAwIw
MjESMBAGA1UECgwJZmFpcnNoYXJlMRwwGgYDVQQDDBNmYWlyc2hhcmUtcmVtb3Rl
IENBMB4XDTI2MTIwMTA1MjkzNloXDTM2MTEyODA1MjkzNlowNTESMBAGA1UECgwJ
ZmFpcnNoYXJlMQ8wDQYDVQQLDAZ3cml0ZXIxDjAMBgNVBAMMBWFsaWNlMFkwEwYH
KoZIzj0CAQYIKoZIzj0DAQcDQgAEAIcL6LHJBFT3caQWkrYD7Y3JJnjwh0wRQ16c
ni2iXJd0Bk4jd51zVQ4BgunqCbUvEtkSXESxpgk4sE2tOmwesKN1MHMwDAYDVR0T
AQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHQYD
VR0OBBYEFGqogSwHrMloaPdfQNlsGdpy/k8mMB8GA1UdIwQYMBaAFNd4RG1qijHB
2qLsP1s45v50KHs+MAoGCCqGSM49BAMCA0cAMEQCIGC3mBpVKp1XNhmjyV91oDtL
0Z49xnJhTiZwMRATmSdtAiBf3N2WSIgm/kdSoIBA7jvOaH/MdOGjquAfqA16KM3L
nA==
-----END CERTIFICATE-----
"""

    static let aliceWriterKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg4+I5euR4GUSKXZ+a
3ayGYxbhdUSM0Hl6t6SBa7ElcryhRANCAAQAhwvosckEVPdxpBaStgPtjckmePCH
TBFDXpyeLaJcl3QGTiN3nXNVDgGC6eoJtS8S2RJcRLGmCTiwTa06bB6w
-----END PRIVATE KEY-----
"""

    static let bobReaderCertificate = """
-----BEGIN CERTIFICATE-----
MIIB3DCCAYKgAwIBAgIUNdSXoh3NvrzB6pyTW36FI4LXgWswCgYIKoZIzj0EAwIw
MjESMBAGA1UECgwJZmFpcnNoYXJlMRwwGgYDVQQDDBNmYWlyc2hhcmUtcmVtb3Rl
IENBMB4XDTI2MTIwMTA1MjkzNloXDTM2MTEyODA1MjkzNlowMzESMBAGA1UECgwJ
ZmFpcnNoYXJlMQ8wDQYDVQQLDAZyZWFkZXIxDDAKBgNVBAMMA2JvYjBZMBMGByqG
SM49AgEGCCqGSM49AwEHA0IABAmYPRaRdXBN1RlNtkC6jbkPXMMLFmKfy/WQyNpu
j3DGHnz7AB4IBOzEuEnPCCBBccoYxEHrZnGQ5RszicauxQWjdTBzMAwGA1UdEwEB
/wQCMAAwDgYDVR0PAQH/BAQDAgeAMBMGA1UdJQQMMAoGCCsGAQUFBwMCMB0GA1Ud
DgQWBBQfXX5n2TGVf28MdaFonaXjeJEltjAfBgNVHSMEGDAWgBTXeERtaooxwdqi
7D9bOOb+dCh7PjAKBggqhkjOPQQDAgNIADBFAiEAqPCuSNuDVpBWM2nZ2yebqHqa
w1/6oxUBVyduBTH6x8sCIEdpGX46clrtfsJUFsYvv1W1qUBAETFMU+CER1NDDw6w
-----END CERTIFICATE-----
"""

    static let bobReaderKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSx2BMgKffK/EvfHO
oHA4Sp29wVXU/lNP4GgCHkyWBhmhRANCAAQJmD0WkXVwTdUZTbZAuo25D1zDCxZi
n8v1kMjabo9wxh58+wAeCATsxLhJzwggQXHKGMRB62ZxkOUbM4nGrsUF
-----END PRIVATE KEY-----
"""

    static let carolRevokedCertificate = """
-----BEGIN CERTIFICATE-----
MIIB3jCCAYSgAwIBAgIUNdSXoh3NvrzB6pyTW36FI4LXgWwwCgYIKoZIzj0EAwIw
MjESMBAGA1UECgwJZmFpcnNoYXJlMRwwGgYDVQQDDBNmYWlyc2hhcmUtcmVtb3Rl
IENBMB4XDTI2MTIwMTA1MjkzNloXDTM2MTEyODA1MjkzNlowNTESMBAGA1UECgwJ
ZmFpcnNoYXJlMQ8wDQYDVQQLDAZ3cml0ZXIxDjAMBgNVBAMMBWNhcm9sMFkwEwYH
KoZIzj0CAQYIKoZIzj0DAQcDQgAEG56qNpsDT5R0XgqL1mluUJuYxAhBgY2zcO3T
oTqxILKIdrYH1UpCiYDU66t2Z1OaDc9WCGGFlsS/Ftkc0PHGnKN1MHMwDAYDVR0T
AQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHQYD
VR0OBBYEFPFYkcRtGllkFk61glHA8gIjg89HMB8GA1UdIwQYMBaAFNd4RG1qijHB
2qLsP1s45v50KHs+MAoGCCqGSM49BAMCA0gAMEUCIDxLomFdmO/c/luIIGpChFKg
yBM9d23fnf01VppVCGboAiEAhmX4r7ngSkhA8FLd5mIsU0UMPgkuCdKIlRsT4BGX
yiE=
-----END CERTIFICATE-----
"""

    static let carolRevokedKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTC4vU9ZT0zyl+vO3
OnEZJerkkxXVc5Ze9Ru6D0aIHA6hRANCAAQbnqo2mwNPlHReCovWaW5Qm5jECEGB
jbNw7dOhOrEgsoh2tgfVSkKJgNTrq3ZnU5oNz1YIYYWWxL8W2RzQ8cac
-----END PRIVATE KEY-----
"""

    static let daveNoRoleCertificate = """
-----BEGIN CERTIFICATE-----
MIIByzCCAXKgAwIBAgIUNdSXoh3NvrzB6pyTW36FI4LXgW0wCgYIKoZIzj0EAwIw
MjESMBAGA1UECgwJZmFpcnNoYXJlMRwwGgYDVQQDDBNmYWlyc2hhcmUtcmVtb3Rl
IENBMB4XDTI2MTIwMTA1Mjk0MVoXDTM2MTEyODA1Mjk0MVowIzESMBAGA1UECgwJ
ZmFpcnNoYXJlMQ0wCwYDVQQDDARkYXZlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
QgAEFMcNzwkl90BFA2TksNgYSe/e7gvbMAkQmF9DymptbXr+nPEhIDxn7ftJnF+I
bwL4QLB4fbckJpS3qu2g1P6nYKN1MHMwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8E
BAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHQYDVR0OBBYEFB7xSKtoz6iXUFoX
DR+EQH7vZhLaMB8GA1UdIwQYMBaAFNd4RG1qijHB2qLsP1s45v50KHs+MAoGCCqG
SM49BAMCA0cAMEQCIAdnEZahAzUfN/mlCv0Aw0D3ufKF58/Oi+au0dXQAWZEAiBl
XBXMs5bVRYVB4ofgRyfmXT1YC3Czi2yRJRlotzk3OA==
-----END CERTIFICATE-----
"""

    static let daveNoRoleKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgytSngeSqSxiSpEwD
/sSCFGjzB0Um/0dRI23BKmhDanyhRANCAAQUxw3PCSX3QEUDZOSw2BhJ797uC9sw
CRCYX0PKam1tev6c8SEgPGft+0mcX4hvAvhAsHh9tyQmlLeq7aDU/qdg
-----END PRIVATE KEY-----
"""

    static let crl = """
-----BEGIN X509 CRL-----
MIHyMIGaAgEBMAoGCCqGSM49BAMCMDIxEjAQBgNVBAoMCWZhaXJzaGFyZTEcMBoG
A1UEAwwTZmFpcnNoYXJlLXJlbW90ZSBDQRcNMjYxMjAxMDUyOTM2WhcNMjYxMjMx
MDUyOTM2WjAnMCUCFDXUl6Idzb68weqck1t+hSOC14FsFw0yNjEyMDEwNTI5MzZa
oA4wDDAKBgNVHRQEAwIBAjAKBggqhkjOPQQDAgNHADBEAiACzLe1tGcTGNOBxv5o
tkao8McfeafT0I/X490MOavNqwIgDQiZRgYPcHWfZhB1prah73mzh9aDkFuCzhhb
56T4yPg=
-----END X509 CRL-----
"""

    /// Writes every file into a new temporary directory; returns its path.
    static func write() throws -> String {
        var template = Array("/tmp/fairshare-pki-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        let directory = String(cString: made)
        for (name, text) in files {
            try text.write(toFile: directory + "/" + name, atomically: false, encoding: .utf8)
        }
        return directory
    }

    static let files: [(String, String)] = [
        ("ca.crt", caCertificate),
        ("server-127.0.0.1.crt", serverCertificate),
        ("server-127.0.0.1.key", serverKey),
        ("alice-writer.crt", aliceWriterCertificate),
        ("alice-writer.key", aliceWriterKey),
        ("bob-reader.crt", bobReaderCertificate),
        ("bob-reader.key", bobReaderKey),
        ("carol-writer.crt", carolRevokedCertificate),
        ("carol-writer.key", carolRevokedKey),
        ("dave-norole.crt", daveNoRoleCertificate),
        ("dave-norole.key", daveNoRoleKey),
        ("ca.crl", crl),
    ]
}
