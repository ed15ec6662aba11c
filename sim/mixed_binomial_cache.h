// MixedBinomialCache: one replica's MixedBinomialTables, built for the (requests, probability)
// keys that are drawn often enough to pay for their build.
//
// On the `signals.requests: expected` path with per-minute overdispersion and no persistent
// per-cell heterogeneity, the plain cells of a region (same hosts, same rate) share one key, so
// one table serves them all while the traffic stays the same. Building a table costs about as
// much as a few thousand reference draws, so a key gets its table once it has been asked for
// kBuildAfterDraws draws over consecutive ticks (a diurnal rate that moves every tick never
// does); keys not asked for during a tick are forgotten. At most kMaxTables tables are kept.
// Which path a cell takes is a function of the scenario and the tick only, so runs stay
// reproducible.
//
// Owned by the TickSampler; not thread-safe (Note before the sweep; the tables it hands out are
// immutable and may be drawn from by any thread).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/mixed_binomial_table.h"

namespace fleetsim {

class MixedBinomialCache {
 public:
  static constexpr int64_t kBuildAfterDraws = 4096;
  static constexpr size_t kMaxTables = 256;

  explicit MixedBinomialCache(double sigma) : sigma_(sigma) {}

  // `draws` cells of key (n, mu) are about to be drawn this tick: their table, or nullptr
  // while the key has not earned one.
  const MixedBinomialTable* Note(int64_t n, double mu, int64_t draws);
  // The tick is over: forgets the counts of the keys it did not ask for.
  void EndTick();

  size_t tables_built() const { return tables_.size(); }

 private:
  struct Key {
    int64_t n;
    double mu;
    int64_t draws = 0;  // asked for over consecutive ticks
    bool this_tick = false;
    const MixedBinomialTable* table = nullptr;
  };
  double sigma_;
  std::vector<Key> keys_;
  size_t last_ = 0;  // the key found last (cells come in runs of one key)
  std::vector<std::unique_ptr<MixedBinomialTable>> tables_;
};

}  // namespace fleetsim
