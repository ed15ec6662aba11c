#include "sim/mixed_binomial_cache.h"

#include <algorithm>

namespace fleetsim {

const MixedBinomialTable* MixedBinomialCache::Note(int64_t n, double mu, int64_t draws) {
  const auto matches = [&](const Key& k) { return k.n == n && k.mu == mu; };
  if (last_ >= keys_.size() || !matches(keys_[last_])) {
    const auto it = std::find_if(keys_.begin(), keys_.end(), matches);
    if (it == keys_.end()) {
      keys_.push_back(Key{n, mu});
      last_ = keys_.size() - 1;
    } else {
      last_ = static_cast<size_t>(it - keys_.begin());
    }
  }
  Key& key = keys_[last_];
  key.this_tick = true;
  key.draws += draws;
  if (!key.table && key.draws >= kBuildAfterDraws && tables_.size() < kMaxTables) {
    tables_.push_back(std::make_unique<MixedBinomialTable>(n, mu, sigma_));
    key.table = tables_.back().get();
  }
  return key.table;
}

void MixedBinomialCache::EndTick() {
  // Keys with a table stay (their tables are kept); the others need consecutive ticks.
  std::erase_if(keys_, [](const Key& k) { return !k.this_tick && !k.table; });
  for (Key& k : keys_) k.this_tick = false;
  last_ = 0;
}

}  // namespace fleetsim
