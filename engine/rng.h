// Counter-based random streams (Random123 Philox4x32-10; Salmon et al. 2011, "Parallel random
// numbers: as easy as 1, 2, 3", SC'11).
//
// Every random number of a run is a pure function of (seed, realisation, stream, month, index):
// nothing depends on the option, the thread, the shard or the order of work. This is what makes
// results byte-identical across thread counts and gives every option of a realisation the same
// randomness (common random numbers).
#pragma once

#include <Random123/philox.h>

#include <cstdint>

namespace peacesim {

// What a random number is used for. Values are part of the reproducibility contract: never
// renumber them.
enum class Stream : std::uint32_t {
  kParameters = 1,  // the uncertain quantities of a realisation (index = dimension)
  kDrivers = 2,     // driver noise (index = driver)
  kActors = 3,      // actor position noise (index = actor)
  kDynamics = 4,    // latent intensity noise (0) and battle-death noise (1)
  kAllocation = 5,  // the offset of the planning-scenario allocation sequence
  kDesign = 6,      // keys of Latin-hypercube permutations and the Sobol' shift
  kBootstrap = 7,   // Poisson(1) weights of the bootstrap replicates (index = replicate)
  kWeights = 8,     // criteria weight draws of SMAA (index = draw x (criteria + 1) + k)
  kAssessment = 9,  // the assessment's sampler (month = move; index = coordinate) and its expected observations
};

// The standard normal quantile (inverse CDF), Wichura's algorithm AS 241 (PPND16), relative
// accuracy about 1e-16. Requires 0 < p < 1.
double normal_quantile(double p);

// p[i] = normal_quantile(p[i]) for i < n, in place: the same values, the central region of many at once.
void normal_quantiles(double* p, int n);

// The random numbers of one (seed, realisation, stream, month).
//
// Counter layout: word 0 = index / 2, word 1 = stream << 16 | month, words 2-3 = realisation;
// key = seed. Each Philox block yields two 64-bit words, hence two uniforms.
class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t realisation, Stream stream, std::uint32_t month)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        word1_((static_cast<std::uint32_t>(stream) << 16) | (month & 0xffffu)),
        realisation_(realisation) {}

  // 64 random bits for `index`.
  std::uint64_t bits(std::uint64_t index) const {
    const std::uint64_t block = index >> 1;
    if (block != cached_block_) {
      r123::Philox4x32::ctr_type ctr = {{static_cast<std::uint32_t>(block), word1_,
                                         static_cast<std::uint32_t>(realisation_),
                                         static_cast<std::uint32_t>(realisation_ >> 32)}};
      cached_ = r123::Philox4x32()(ctr, key_);
      cached_block_ = block;
    }
    const unsigned lane = static_cast<unsigned>(index & 1u) * 2u;
    return (static_cast<std::uint64_t>(cached_.v[lane + 1]) << 32) | cached_.v[lane];
  }

  // Uniform on the open interval (0, 1): the top 52 bits k give (k + 1/2) 2^-52, the centre of
  // its cell, exactly representable, from 2^-53 to 1 - 2^-53.
  double uniform(std::uint64_t index) const { return (static_cast<double>(bits(index) >> 12) + 0.5) * 0x1.0p-52; }

  // Standard normal, by inversion of uniform(index).
  double normal(std::uint64_t index) const { return normal_quantile(uniform(index)); }

 private:
  r123::Philox4x32::key_type key_;
  std::uint32_t word1_;
  std::uint64_t realisation_;
  mutable std::uint64_t cached_block_ = ~std::uint64_t{0};
  mutable r123::Philox4x32::ctr_type cached_{};
};

}  // namespace peacesim
