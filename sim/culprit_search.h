// Culprit search: which commit of a failed release to revert, and what finding it costs.
//
// Bisect() is the classic binary search (git bisect): the suspects are the release's commits in
// landing order; each step deploys the first ceil(len/2) suspects as a canary and keeps that half
// if it fails, else the other half, until one suspect is left. A canary fails exactly when its
// half holds a bad commit (the model's canaries are right; the noise was in the release's own
// verdict). The search assumes the release was bad: after a false positive it ends at the last
// commit, which then gets reverted though it is good. With n suspects it takes ceil(log2 n)
// steps or one fewer (exactly log2 n when n is a power of two); 0 steps for a single commit.
// Pure functions.
#pragma once

#include <cstdint>
#include <vector>

namespace fleetsim {

struct BisectResult {
  int64_t suspect = -1;  // index into the release's commits
  int steps = 0;         // canaries deployed
};

BisectResult Bisect(const std::vector<bool>& bad);

// ceil(log2 n) for n >= 1.
int CeilLog2(int64_t n);

}  // namespace fleetsim
