// ClusterFractions: one fraction per cluster of a fleet (the share of its hosts running a
// change), stored as a single number when every cluster has the same one.
//
// Most exposure targets are uniform ("5% of the fleet"), and a fleet has hundreds of clusters:
// keeping those as one value makes a change's exposure path O(1) in memory and lets uniform
// placements skip the per-cluster scans (deploy_actuator.h). Rings, regional validation and
// propagation delays give per-cluster values, stored as a vector. Either way the indexable
// interface is the same, and a vector whose elements are all equal is stored as one value, so
// `uniform()` is exactly "every cluster has the same fraction".
//
// Plain value type.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <vector>

namespace fleetsim {

class ClusterFractions {
 public:
  ClusterFractions() = default;
  // Every one of `clusters` clusters at `fraction`.
  ClusterFractions(size_t clusters, double fraction) : size_(clusters), value_(fraction) {}
  // One fraction per cluster (kept as one value when they are all equal).
  ClusterFractions(std::vector<double> per_cluster)
      : size_(per_cluster.size()) {  // NOLINT: implicit on purpose
    bool equal = true;
    for (double f : per_cluster) equal = equal && f == per_cluster.front();
    if (equal) {
      value_ = per_cluster.empty() ? 0.0 : per_cluster.front();
    } else {
      values_ = std::move(per_cluster);
    }
  }
  ClusterFractions(std::initializer_list<double> per_cluster)
      : ClusterFractions(std::vector<double>(per_cluster)) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool uniform() const { return values_.empty(); }
  double operator[](size_t cluster) const { return values_.empty() ? value_ : values_[cluster]; }
  double front() const { return (*this)[0]; }

  std::vector<double> ToVector() const {
    return values_.empty() ? std::vector<double>(size_, value_) : values_;
  }
  friend bool operator==(const ClusterFractions& a, const ClusterFractions& b) {
    if (a.size_ != b.size_) return false;
    for (size_t k = 0; k < a.size_; ++k) {
      if (a[k] != b[k]) return false;
    }
    return true;
  }

 private:
  size_t size_ = 0;
  double value_ = 0;            // when uniform
  std::vector<double> values_;  // per cluster, or empty when uniform
};

}  // namespace fleetsim
