#pragma once
// Certificates made on the fly for tests that run their own TLS servers: a CA, and leaf certificates signed by
// it for the names a test asks for. Written to a fresh temporary folder as PEM files (EC P-256 keys: fast).

#include <string>
#include <vector>

namespace pk::testing {

struct TestCertificates {
  std::string dir;
  std::string ca_file;      // CA certificate (PEM)
  std::string server_cert;  // leaf for the requested names, signed by the CA
  std::string server_key;
  std::string other_ca_file;  // a second, unrelated CA: verifying against it must fail
};

// `names`: DNS names and IP literals for the server certificate's subjectAltName.
TestCertificates make_test_certificates(const std::vector<std::string>& names = {"localhost", "127.0.0.1"});

}  // namespace pk::testing
