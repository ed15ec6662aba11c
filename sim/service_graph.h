// ServiceGraph: the services of a scenario and their dependencies (Boost.Graph), for cascades.
//
// A dependency edge "A depends on B with weight w" means: when B's error rate rises by d, A's
// rises by w x d (w is the share of A's requests that need B and fail when B fails). Cascades
// compose along paths and add over parallel paths, so with A -> B (w1) -> C (w2), a rise d in C
// raises B by w2 d and A by w1 w2 d. Without services on the fleet (fleet.h) the first service
// listed is the one the fleet runs, and a fault on another service reaches the fleet's
// requests with CascadeWeight(fault service, fleet service); with them, the graph links the
// fleet's services (and any listed only as dependencies). The graph must be acyclic (checked
// when built). Weights are computed per failing service on demand (Row): no n^2 table.
//
// Immutable once built; thread-safe for reading.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/status.h"

namespace fleetsim {

struct ServiceDependency {
  std::string service;  // the dependency
  double weight = 1.0;  // in [0, 1]
};

struct ServiceSpec {
  std::string name;
  std::vector<ServiceDependency> depends_on;
};

struct ServiceGraphSpec {
  std::vector<ServiceSpec> services;  // services[0] is the fleet's own service; empty: one service
  bool empty() const { return services.empty(); }
};

class ServiceGraph {
 public:
  // Checks names and weights and that the graph has no cycle.
  static Result<ServiceGraph> Build(const ServiceGraphSpec& spec);

  int Find(const std::string& name) const;  // -1 when unknown
  size_t size() const { return names_.size(); }

  // Rise of `dependent`'s error rate per unit rise of `failing`'s: the sum over dependency
  // paths from `dependent` to `failing` of the product of their weights (1 when equal).
  // O(services + dependencies) per call (Row).
  double CascadeWeight(int failing, int dependent) const;
  // CascadeWeight(failing, v) for every service v.
  std::vector<double> Row(int failing) const;
  const std::string& name(size_t i) const { return names_[i]; }

  // The error-rate rise of every service when `failing` alone rises by `increase`.
  std::vector<double> Cascade(int failing, double increase) const;

 private:
  std::vector<std::string> names_;
  std::vector<size_t> order_;  // topological: dependencies before their dependents
  std::vector<std::vector<std::pair<int, double>>> out_;  // per service: (dependent, weight)
};

}  // namespace fleetsim
