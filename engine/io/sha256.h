// SHA-256 (FIPS 180-4), for the scenario fingerprint in results' provenance.
#pragma once

#include <string>
#include <string_view>

namespace peacesim::io {

// Lower-case hexadecimal digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace peacesim::io
