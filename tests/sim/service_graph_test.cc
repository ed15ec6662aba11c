// ServiceGraph cascade weights against their closed form: along a path the weights multiply,
// over parallel paths they add, and a service is unaffected by its dependents.
#include <catch2/catch.hpp>

#include "sim/service_graph.h"

namespace fleetsim {
namespace {

TEST_CASE("a cascade through a three-service chain multiplies the dependency weights",
          "[service_graph]") {
  // web -> auth (0.6) -> db (0.9): a rise d in db raises auth by 0.9 d and web by 0.54 d.
  ServiceGraphSpec spec;
  spec.services = {{"web", {{"auth", 0.6}}}, {"auth", {{"db", 0.9}}}, {"db", {}}};
  Result<ServiceGraph> g = ServiceGraph::Build(spec);
  REQUIRE(g.ok());
  const int web = g.value().Find("web"), auth = g.value().Find("auth"), db = g.value().Find("db");
  const std::vector<double> rise = g.value().Cascade(db, 0.1);
  CHECK(rise[static_cast<size_t>(db)] == Approx(0.1).epsilon(1e-12));
  CHECK(rise[static_cast<size_t>(auth)] == Approx(0.09).epsilon(1e-12));
  CHECK(rise[static_cast<size_t>(web)] == Approx(0.054).epsilon(1e-12));
  // Failures do not flow against the dependency direction.
  CHECK(g.value().CascadeWeight(web, db) == 0);
  CHECK(g.value().CascadeWeight(auth, web) == Approx(0.6));
}

TEST_CASE("parallel dependency paths add up", "[service_graph]") {
  // app depends on cache (0.5) and db (0.2); cache depends on db (0.4): 0.2 + 0.5 x 0.4 = 0.4.
  ServiceGraphSpec spec;
  spec.services = {{"app", {{"cache", 0.5}, {"db", 0.2}}}, {"cache", {{"db", 0.4}}}, {"db", {}}};
  Result<ServiceGraph> g = ServiceGraph::Build(spec);
  REQUIRE(g.ok());
  CHECK(g.value().CascadeWeight(g.value().Find("db"), g.value().Find("app")) ==
        Approx(0.4).epsilon(1e-12));
}

TEST_CASE("a dependency cycle or an unknown service is refused", "[service_graph]") {
  ServiceGraphSpec cycle;
  cycle.services = {{"a", {{"b", 1}}}, {"b", {{"a", 1}}}};
  CHECK_FALSE(ServiceGraph::Build(cycle).ok());
  ServiceGraphSpec unknown;
  unknown.services = {{"a", {{"zzz", 1}}}};
  CHECK_FALSE(ServiceGraph::Build(unknown).ok());
}

}  // namespace
}  // namespace fleetsim
