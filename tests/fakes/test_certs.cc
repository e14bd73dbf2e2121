#include "test_certs.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace pk::testing {
namespace {

struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertDeleter {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using Cert = std::unique_ptr<X509, CertDeleter>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what);
}

Key make_key() {
  Key key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EC key generation");
  return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

Cert make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, bool is_ca,
               const std::vector<std::string>& names, long serial) {  // NOLINT(google-runtime-int)
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 365);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (is_ca) {
    add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    std::string san;
    for (const auto& n : names) {
      boost::system::error_code ec;
      (void)boost::asio::ip::make_address(n, ec);
      san += (san.empty() ? "" : ",") + std::string(ec ? "DNS:" : "IP:") + n;
    }
    if (!san.empty()) add_ext(cert.get(), signer, NID_subject_alt_name, san);
    add_ext(cert.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  check(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "sign");
  return cert;
}

void write_pem(const std::string& path, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  check(f != nullptr, "open cert file");
  PEM_write_X509(f, cert);
  std::fclose(f);
}

void write_pem(const std::string& path, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  check(f != nullptr, "open key file");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

// Every folder made here, removed when the test process exits (the struct is copied around freely, so no
// single copy can own the folder).
void remove_at_exit(const std::string& dir) {
  static std::vector<std::string>* dirs = [] {
    auto* made = new std::vector<std::string>();
    std::atexit([] {
      std::error_code ignored;
      for (const auto& d : *dirs) std::filesystem::remove_all(d, ignored);
    });
    return made;
  }();
  dirs->push_back(dir);
}

}  // namespace

TestCertificates make_test_certificates(const std::vector<std::string>& names) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "pk-certs-XXXXXX").string();
  check(mkdtemp(tmpl.data()) != nullptr, "mkdtemp");
  TestCertificates out;
  out.dir = tmpl;
  remove_at_exit(out.dir);
  Key ca_key = make_key();
  Cert ca = make_cert(ca_key.get(), "pk test CA", nullptr, nullptr, true, {}, 1);
  Key leaf_key = make_key();
  Cert leaf =
      make_cert(leaf_key.get(), names.empty() ? "server" : names.front(), ca.get(), ca_key.get(), false, names, 2);
  Key other_key = make_key();
  Cert other = make_cert(other_key.get(), "unrelated CA", nullptr, nullptr, true, {}, 3);
  out.ca_file = out.dir + "/ca.pem";
  out.server_cert = out.dir + "/server.pem";
  out.server_key = out.dir + "/server.key";
  out.other_ca_file = out.dir + "/other-ca.pem";
  write_pem(out.ca_file, ca.get());
  write_pem(out.server_cert, leaf.get());
  write_pem(out.server_key, leaf_key.get());
  write_pem(out.other_ca_file, other.get());
  return out;
}

}  // namespace pk::testing
