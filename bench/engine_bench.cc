// Micro benchmarks of the engine's hot paths: the event queue (hold model), the samplers,
// and one simulated day of a fleet. Run: build/bench/fleetsim_bench
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>

#include "analysis/monte_carlo.h"
#include "sim/event_queue.h"
#include "sim/random_draws.h"
#include "sim/random_stream.h"
#include "sim/signal_sampler.h"

namespace fleetsim {
namespace {

// Event-queue "hold" model: with `pending` events in the queue, each iteration pops the minimum
// and schedules one event at the popped time + an increment, so the queue size stays constant.
// Increments are whole simulated milliseconds from one of two distributions:
//   Minute: 1 + floor(Exp(mean 60 000 ms)): control events about one simulated minute apart.
//     At 10^5 pending the queue spans several simulated minutes with ~1.7 events per ms, so
//     many events share a millisecond and the (time, sequence) tie-break is exercised.
//   Wide:   floor(exp(U(0, ln 6.048e8))) ms, log-uniform from 1 ms to 7 days: nine orders of
//     magnitude (median ~25 s), near-term and far-future events mixed, few ties.
// The increments are drawn from a keyed stream before timing into a 65 536-entry table that the
// timed loop cycles through, so the figure is the queue's cost alone; one draw costs about as
// much again as the queue operation (see BM_HoldIncrementDraw) and is not part of the target.
// The queue starts from `pending` events at increments from 0 and runs 2 x pending untimed
// holds to reach its steady state before timing.
enum class HoldSpread { kMinute, kWide };

template <HoldSpread kSpread>
class HoldIncrements {
 public:
  int64_t operator()() {
    if constexpr (kSpread == HoldSpread::kMinute) {
      return 1 + static_cast<int64_t>(minute_(rng_));
    } else {
      return static_cast<int64_t>(std::exp(rng_.NextUnit() * log_seven_days_));
    }
  }

 private:
  RandomStream rng_{StreamKey{1, 0, StreamPurpose::kTest, 0}};
  boost::random::exponential_distribution<double> minute_{1.0 / 60'000.0};
  const double log_seven_days_ = std::log(7.0 * 86'400'000.0);
};

template <HoldSpread kSpread>
void BM_EventQueueHold(benchmark::State& state) {
  const int64_t pending = state.range(0);
  HoldIncrements<kSpread> draw;
  std::vector<int64_t> increments(1 << 16);
  for (int64_t& x : increments) x = draw();
  size_t next = 0;
  auto increment = [&] { return SimTime::Millis(increments[next++ & (increments.size() - 1)]); };

  EventQueue<int64_t> queue;
  for (int64_t i = 0; i < pending; ++i) queue.Schedule(increment(), i);
  auto hold = [&] {
    auto e = queue.Pop();
    queue.Schedule(e->time + increment(), e->payload);
  };
  for (int64_t i = 0; i < 2 * pending; ++i) hold();
  for (auto _ : state) hold();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventQueueHold<HoldSpread::kMinute>)
    ->Name("BM_EventQueueHold/Minute")
    ->Arg(1000)
    ->Arg(100000)
    ->Arg(1000000);
BENCHMARK(BM_EventQueueHold<HoldSpread::kWide>)
    ->Name("BM_EventQueueHold/Wide")
    ->Arg(1000)
    ->Arg(100000)
    ->Arg(1000000);

// The cost of drawing one hold increment, for reading BM_EventQueueHold with draws included.
template <HoldSpread kSpread>
void BM_HoldIncrementDraw(benchmark::State& state) {
  HoldIncrements<kSpread> draw;
  int64_t sum = 0;
  for (auto _ : state) sum += draw();
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HoldIncrementDraw<HoldSpread::kMinute>)->Name("BM_HoldIncrementDraw/Minute");
BENCHMARK(BM_HoldIncrementDraw<HoldSpread::kWide>)->Name("BM_HoldIncrementDraw/Wide");

void BM_Binomial1000(benchmark::State& state) {
  RandomStream rng(StreamKey{1, 0, StreamPurpose::kTest, 0});
  boost::random::binomial_distribution<int64_t, double> dist(1000, 0.01);
  int64_t sum = 0;
  for (auto _ : state) sum += dist(rng);
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Binomial1000);

// Poisson draws at the means the signal sampler meets: a quiet cell's errors (4), a busy cell's
// errors (12, algorithm PD just above the inversion limit) and a cell's successes (12,000).
void BM_DrawPoisson(benchmark::State& state) {
  RandomStream rng(StreamKey{1, 0, StreamPurpose::kTest, 0});
  const double mean = static_cast<double>(state.range(0));
  int64_t sum = 0;
  uint64_t n = 0;
  for (auto _ : state) {
    // A fresh stream every 2^16 draws: one stream holds 2^26 words.
    if ((++n & 0xffff) == 0) rng = RandomStream(StreamKey{1, 0, StreamPurpose::kTest, n});
    sum += DrawPoisson(rng, mean);
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DrawPoisson)->Arg(4)->Arg(12)->Arg(12000);

void BM_SampleSegment(benchmark::State& state) {
  SignalSpec spec;
  spec.overdispersion = 0.3;
  SignalSampler sampler(spec);
  CellProfile profile{0.001, 1.0};
  std::vector<FaultEffect> faults;
  std::vector<int64_t> fault_errors;
  uint64_t k = 0;
  for (auto _ : state) {
    RandomStream rng(StreamKey{1, 0, StreamPurpose::kSignals, k++});
    CellMinute minute = sampler.DrawCellMinute(rng, profile);
    benchmark::DoNotOptimize(
        sampler.SampleSegment(rng, 200, 100.0, minute, profile, faults, fault_errors));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SampleSegment);

}  // namespace
}  // namespace fleetsim
