#include "sim/service_graph.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/topological_sort.hpp>

#include <iterator>

namespace fleetsim {

Result<ServiceGraph> ServiceGraph::Build(const ServiceGraphSpec& spec) {
  ServiceGraph g;
  for (const ServiceSpec& s : spec.services) {
    if (g.Find(s.name) >= 0) return Status::Error("services: duplicate service '" + s.name + "'");
    g.names_.push_back(s.name);
  }
  // Edge dependency -> dependent, weighted: errors flow from a service to those that need it.
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                            boost::property<boost::edge_weight_t, double>>;
  Graph graph(g.names_.size());
  for (size_t i = 0; i < spec.services.size(); ++i) {
    for (const ServiceDependency& d : spec.services[i].depends_on) {
      const int from = g.Find(d.service);
      if (from < 0) {
        return Status::Error("services: '" + spec.services[i].name +
                             "' depends on unknown service '" + d.service + "'");
      }
      if (!(d.weight >= 0 && d.weight <= 1)) {
        return Status::Error("services: dependency weight of '" + spec.services[i].name + "' on '" +
                             d.service + "' must lie in [0, 1]");
      }
      boost::add_edge(static_cast<size_t>(from), i, d.weight, graph);
    }
  }
  std::vector<size_t> reverse_order;
  try {
    boost::topological_sort(graph, std::back_inserter(reverse_order));
  } catch (const boost::not_a_dag&) {
    return Status::Error("services: the dependency graph has a cycle; expected an acyclic graph");
  }
  // Kept for the rows, computed on demand (a dense matrix would be n^2 for 10,000 services).
  g.order_.assign(reverse_order.rbegin(), reverse_order.rend());
  g.out_.resize(g.names_.size());
  const auto weights = boost::get(boost::edge_weight, graph);
  for (size_t u = 0; u < g.names_.size(); ++u) {
    for (auto [e, end] = boost::out_edges(u, graph); e != end; ++e)
      g.out_[u].emplace_back(static_cast<int>(boost::target(*e, graph)), weights[*e]);
  }
  return g;
}

std::vector<double> ServiceGraph::Row(int failing) const {
  // Dynamic programming in topological order (dependencies first): the weight from `failing`
  // to v is the sum over v's in-edges (u, v, w) of weight(failing, u) x w.
  std::vector<double> w(names_.size(), 0.0);
  w.at(static_cast<size_t>(failing)) = 1.0;
  for (size_t u : order_) {
    if (w[u] == 0) continue;
    for (const auto& [v, weight] : out_[u]) w[static_cast<size_t>(v)] += w[u] * weight;
  }
  return w;
}

int ServiceGraph::Find(const std::string& name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

double ServiceGraph::CascadeWeight(int failing, int dependent) const {
  return Row(failing).at(static_cast<size_t>(dependent));
}

std::vector<double> ServiceGraph::Cascade(int failing, double increase) const {
  std::vector<double> out = Row(failing);
  for (double& x : out) x *= increase;
  return out;
}

}  // namespace fleetsim
