// ExposureMotion (sim/exposure_motion.h): without a lag a motion is one linear move; with a lag
// cluster k runs the pushed path lag[k] late, across the moves that replaced one another; the
// kept history answers exactly what it answered before trimming; PushedAnyIn finds positive
// exposure between breakpoints and across instant moves.
#include <catch2/catch.hpp>

#include <memory>

#include "sim/exposure_motion.h"

namespace fleetsim {
namespace {

SimTime M(int64_t minutes) { return SimTime::Minutes(minutes); }

TEST_CASE("an exposure motion without lag is one linear move", "[exposure_motion]") {
  const ExposureMotion m{{0.0, 0.2}, {1.0, 0.2}, M(10), M(20)};
  CHECK(m.At(0, M(5)) == 0.0);
  CHECK(m.At(0, M(15)) == Approx(0.5));
  CHECK(m.At(0, M(25)) == 1.0);
  CHECK(m.At(1, M(15)) == Approx(0.2));
  CHECK(m.AllPushedAt(M(15)) == m.AllAt(M(15)));
}

TEST_CASE("with a lag each cluster runs the pushed path shifted by its own lag, across moves",
          "[exposure_motion]") {
  auto lag = std::make_shared<const std::vector<SimTime>>(std::vector<SimTime>{M(0), M(7)});
  ExposureMotion start{{0.0, 0.0}, {0.0, 0.0}, M(0), M(0), lag};
  // Push 0 -> 0.5 over 10m..20m, then at 25m roll back to 0 over 25m..27m.
  const ExposureMotion up = start.Follow({0.0, 0.0}, {0.5, 0.5}, M(10), M(20), M(10), M(7));
  const ExposureMotion down =
      up.Follow(up.AllPushedAt(M(25)), {0.0, 0.0}, M(25), M(27), M(25), M(7));
  for (int64_t t = 0; t <= 40; ++t) {
    INFO("minute " << t);
    CHECK(down.At(0, M(t)) == down.Pushed(0, M(t)));
    if (t >= 25) CHECK(down.At(1, M(t)) == Approx(down.Pushed(1, M(t - 7))));
  }
  CHECK(down.At(1, M(17)) == 0.0);
  CHECK(down.At(1, M(22)) == Approx(0.25));
  CHECK(down.At(1, M(32)) == Approx(0.5));   // pushed at 25m: still 0.5
  CHECK(down.At(1, M(33)) == Approx(0.25));  // pushed at 26m: half way back
  CHECK(down.At(1, M(34)) == 0.0);
  CHECK(down.At(0, M(26)) == Approx(0.25));
  // The history was trimmed to 25m - 7m = 18m: every answer from 18m on is unchanged.
  CHECK(down.before != nullptr);
  CHECK(down.before->before == nullptr);
  const ExposureMotion untrimmed =
      up.Follow(up.AllPushedAt(M(25)), {0.0, 0.0}, M(25), M(27), M(25), M(1000));
  for (int64_t s = 18 * 60; s <= 40 * 60; s += 7) {
    CHECK(down.Pushed(1, SimTime::Seconds(s)) == untrimmed.Pushed(1, SimTime::Seconds(s)));
  }
}

TEST_CASE("PushedAnyIn sees positive exposure between breakpoints and across instant moves",
          "[exposure_motion]") {
  auto lag = std::make_shared<const std::vector<SimTime>>(std::vector<SimTime>{M(5)});
  ExposureMotion start{{0.0}, {0.0}, M(0), M(0), lag};
  // An instant push to 1 at 10m, an instant revert at 12m.
  const ExposureMotion on = start.Follow({0.0}, {1.0}, M(10), M(10), M(10), M(5));
  const ExposureMotion off = on.Follow({1.0}, {0.0}, M(12), M(12), M(12), M(5));
  CHECK(off.PushedAnyIn(0, M(7), M(12)));
  CHECK(off.PushedAnyIn(0, M(11), M(11)));
  CHECK_FALSE(off.PushedAnyIn(0, M(12), M(30)));
  CHECK_FALSE(off.PushedAnyIn(0, M(7), M(9)));
  // Hosts run it from 15m to 17m.
  CHECK(off.At(0, M(14)) == 0.0);
  CHECK(off.At(0, M(15)) == 1.0);
  CHECK(off.At(0, M(16)) == 1.0);
  CHECK(off.At(0, M(17)) == 0.0);
}

}  // namespace
}  // namespace fleetsim
